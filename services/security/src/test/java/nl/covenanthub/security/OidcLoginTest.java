package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.security.testapp.SecuredTestApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pages with OIDC login, switched on by a client registration (the realm's {@code console-web}
 * client): a person logs in at Keycloak's own login form, as a browser would, and the page sees
 * their realm roles.
 */
@SpringBootTest(
    classes = SecuredTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcLoginTest {
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

  private String app(String path) {
    return "http://localhost:" + port + path;
  }

  @Test
  void aPersonLogsInAtKeycloakAndThePageSeesTheirRealmRoles() throws Exception {
    KeycloakBrowser browser = new KeycloakBrowser();
    HttpResponse<String> page = browser.logInAndOpen(app("/console/me"), "fg");

    assertThat(page.uri().getPath())
        .as("back on the page after the login")
        .isEqualTo("/console/me");
    assertThat(page.statusCode()).as("the page after the login").isEqualTo(200);
    assertThat(page.body())
        .as("who the page sees")
        .contains("\"name\":\"fg\"")
        .contains("ROLE_privacy-officer");

    HttpResponse<String> admin = browser.open(app("/console/covenants/me"));
    assertThat(admin.statusCode())
        .as("a page for covenant administrators, for the privacy officer")
        .isEqualTo(403);
  }

  @Test
  void aCovenantAdministratorReachesTheirPages() throws Exception {
    HttpResponse<String> page =
        new KeycloakBrowser().logInAndOpen(app("/console/covenants/me"), "beheerder");
    assertThat(page.statusCode()).as("a page for covenant administrators, for one").isEqualTo(200);
    assertThat(page.body())
        .as("who the page sees")
        .contains("\"name\":\"beheerder\"")
        .contains("ROLE_covenant-admin");
  }

  @Test
  void bearerTokensStillWorkForTheApiNextToThePages() throws Exception {
    HttpResponse<String> api =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(app("/api/whoami")))
                    .header(
                        "Authorization",
                        "Bearer "
                            + Keycloak.shared().clientToken("lzn", Keycloak.demoSecret("lzn")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).as("the API with a partner's token").isEqualTo(200);
  }
}
