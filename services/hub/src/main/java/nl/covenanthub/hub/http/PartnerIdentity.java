package nl.covenanthub.hub.http;

import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Which partner a request comes from: the client of a client-credentials token (its {@code
 * client_id} claim, which Keycloak sets for a service account and never for a person), when that
 * client is one of the hub's partners. Never anything the request body says.
 */
public final class PartnerIdentity {
  private PartnerIdentity() {}

  public static Optional<String> of(Authentication authentication, Set<String> partners) {
    if (!(authentication instanceof JwtAuthenticationToken token)) {
      return Optional.empty();
    }
    String client = token.getToken().getClaimAsString("client_id");
    if (client == null || !client.equals(token.getName()) || !partners.contains(client)) {
      return Optional.empty();
    }
    return Optional.of(client);
  }

  /** The partner of an authenticated partner request (the security chain let only those in). */
  public static String required(Authentication authentication, Set<String> partners) {
    return of(authentication, partners)
        .orElseThrow(() -> new IllegalStateException("not a partner's request"));
  }
}
