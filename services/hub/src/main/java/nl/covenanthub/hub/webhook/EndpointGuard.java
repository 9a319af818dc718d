package nl.covenanthub.hub.webhook;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where the hub may POST (server-side request forgery): only {@code https}, and never to an address
 * of this machine or its link-local range, where cloud metadata services answer (169.254.169.254)
 * and the hub itself listens. The LOCAL profile ({@code hub.webhooks.allow-local}) allows plain
 * http and loopback, for {@code bin/hub-local}'s demo receiver and tests. Checked when the hub
 * starts and again before every attempt, since a name may resolve elsewhere later.
 */
final class EndpointGuard {
  private final boolean allowLocal;

  EndpointGuard(boolean allowLocal) {
    this.allowLocal = allowLocal;
  }

  /** Throws {@link RefusedEndpoint} with the reason when {@code url} may not be called. */
  void check(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowLocal && scheme.equals("http"))) {
      throw new RefusedEndpoint("a webhook URL must be https");
    }
    if (url.getHost() == null || url.getUserInfo() != null) {
      throw new RefusedEndpoint("a webhook URL needs a host and no user information");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(url.getHost());
    } catch (UnknownHostException e) {
      throw new RefusedEndpoint("the webhook host does not resolve");
    }
    for (InetAddress address : addresses) {
      boolean local =
          address.isLoopbackAddress() || address.isAnyLocalAddress() || isThisMachine(address);
      if (address.isLinkLocalAddress() || address.isMulticastAddress() || (local && !allowLocal)) {
        throw new RefusedEndpoint(
            "the webhook host resolves to an address of this machine, a link-local or metadata"
                + " address");
      }
    }
  }

  /** Whether {@code address} is one of this machine's own (any interface): the hub itself. */
  private static boolean isThisMachine(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return true; // cannot tell: not called
    }
  }

  /** A URL the hub will not call, and why (no part of the URL is quoted). */
  static final class RefusedEndpoint extends RuntimeException {
    RefusedEndpoint(String reason) {
      super(reason, null, false, false);
    }
  }
}
