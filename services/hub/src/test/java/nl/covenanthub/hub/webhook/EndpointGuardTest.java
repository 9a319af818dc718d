package nl.covenanthub.hub.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the hub may not POST (server-side request forgery), and what the local profile allows. */
class EndpointGuardTest {
  private static final EndpointGuard PRODUCTION = new EndpointGuard(false);
  private static final EndpointGuard LOCAL = new EndpointGuard(true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://203.0.113.10/hook", // not https
        "https://127.0.0.1/hook", // this machine
        "https://localhost:8080/api/partner/inbox", // the hub itself
        "https://[::1]/hook",
        "https://0.0.0.0/hook",
        "https://169.254.169.254/latest/meta-data/", // a cloud's metadata service
        "https://[fe80::1]/hook",
        "https://user:secret@203.0.113.10/hook",
        "ftp://203.0.113.10/hook"
      })
  void refusedOutsideTheLocalProfile(String url) {
    assertThatThrownBy(() -> PRODUCTION.check(URI.create(url)))
        .isInstanceOf(EndpointGuard.RefusedEndpoint.class)
        .hasMessageNotContaining("203.0.113.10")
        .hasMessageNotContaining("secret");
  }

  @Test
  void anAddressOfThisMachinesOwnInterfacesIsTheHubItself() throws Exception {
    java.util.List<java.net.InetAddress> own =
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .toList();
    org.junit.jupiter.api.Assumptions.assumeFalse(own.isEmpty(), "no address but loopback here");
    String host = own.get(0).getHostAddress();
    String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + "/hook";
    assertThatThrownBy(() -> PRODUCTION.check(URI.create(url)))
        .isInstanceOf(EndpointGuard.RefusedEndpoint.class);
  }

  @Test
  void anHttpsAddressElsewhereIsAllowed() {
    assertThatCode(() -> PRODUCTION.check(URI.create("https://203.0.113.10/hooks/veilig-thuis")))
        .doesNotThrowAnyException();
  }

  @Test
  void theLocalProfileAllowsPlainHttpOnThisMachineButStillNotMetadata() {
    assertThatCode(() -> LOCAL.check(URI.create("http://localhost:9999/hook")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> LOCAL.check(URI.create("http://169.254.169.254/latest/meta-data/")))
        .isInstanceOf(EndpointGuard.RefusedEndpoint.class);
  }
}
