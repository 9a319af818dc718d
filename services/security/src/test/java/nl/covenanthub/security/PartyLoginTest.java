package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.security.testapp.SecuredTestApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A person's party at a browser login through {@code console-web}: its client scope {@code party}
 * puts the user's groups in the access token, and the page sees {@code PARTY_<partner id>}.
 */
@SpringBootTest(
    classes = SecuredTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PartyLoginTest {
  @LocalServerPort int port;

  @DynamicPropertySource
  static void loginWithConsoleWeb(DynamicPropertyRegistry registry) {
    Keycloak keycloak = Keycloak.shared();
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", keycloak::issuer);
    registry.add("spring.security.oauth2.client.provider.keycloak.issuer-uri", keycloak::issuer);
    registry.add(
        "spring.security.oauth2.client.registration.keycloak.client-id", () -> "console-web");
    registry.add(
        "spring.security.oauth2.client.registration.keycloak.client-secret",
        () -> Keycloak.demoSecret("console-web"));
    registry.add(
        "spring.security.oauth2.client.registration.keycloak.scope", () -> "openid,profile");
  }

  private HttpResponse<String> logInAndOpenMe(String username) throws Exception {
    HttpResponse<String> page =
        new KeycloakBrowser().logInAndOpen("http://localhost:" + port + "/console/me", username);
    assertThat(page.uri().getPath())
        .as("back on the page after the login")
        .isEqualTo("/console/me");
    assertThat(page.statusCode()).as("the page after the login").isEqualTo(200);
    return page;
  }

  @Test
  void theJuristOfPolitieLogsInAsActingForPolitie() throws Exception {
    assertThat(logInAndOpenMe("jurist-politie").body())
        .as("who the page sees")
        .contains("\"name\":\"jurist-politie\"")
        .contains("\"ROLE_covenant-party\"")
        .contains("\"PARTY_politie\"")
        .doesNotContain("PARTY_lzn", "PARTY_riec", "PARTY_veilig-thuis");
  }

  @Test
  void aCovenantAdministratorActsForNoParty() throws Exception {
    assertThat(logInAndOpenMe("beheerder").body())
        .as("who the page sees")
        .contains("\"name\":\"beheerder\"")
        .contains("ROLE_covenant-admin")
        .doesNotContain("PARTY_")
        .doesNotContain("ROLE_covenant-party");
  }
}
