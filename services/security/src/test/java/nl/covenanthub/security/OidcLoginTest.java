package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern LOGIN_FORM =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

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

  /** A browser: its own cookies, redirects followed. */
  private static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new LocalhostIsSecure())
        .followRedirects(HttpClient.Redirect.ALWAYS)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Cookies as a browser keeps them: {@code http://localhost} is a secure context, so Keycloak's
   * {@code Secure} cookies are sent back over it (Java's own cookie manager keeps those for https
   * only).
   */
  private static final class LocalhostIsSecure extends CookieManager {
    LocalhostIsSecure() {
      super(null, CookiePolicy.ACCEPT_ALL);
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers)
        throws IOException {
      return super.get(secure(uri), headers);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) throws IOException {
      super.put(secure(uri), headers);
    }

    private static URI secure(URI uri) {
      if (!"localhost".equals(uri.getHost()) || !"http".equals(uri.getScheme())) {
        return uri;
      }
      try {
        return new URI(
            "https",
            uri.getUserInfo(),
            uri.getHost(),
            uri.getPort(),
            uri.getPath(),
            uri.getQuery(),
            null);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  /**
   * Opens {@code page}, is sent to Keycloak's login form, fills it in; the response after all
   * redirects.
   */
  private HttpResponse<String> logInAndOpen(HttpClient browser, String username, String page)
      throws Exception {
    HttpResponse<String> loginPage =
        browser.send(
            HttpRequest.newBuilder(URI.create(app(page))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(loginPage.uri().toString())
        .as("where %s sends a person without a session", page)
        .startsWith(Keycloak.shared().issuer() + "/protocol/openid-connect/auth");
    Matcher form = LOGIN_FORM.matcher(loginPage.body());
    assertThat(form.find()).as("Keycloak's login form").isTrue();
    String action = form.group(1).replace("&amp;", "&");
    String credentials =
        "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password=demo";
    return browser.send(
        HttpRequest.newBuilder(URI.create(action))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(credentials))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String app(String path) {
    return "http://localhost:" + port + path;
  }

  @Test
  void aPersonLogsInAtKeycloakAndThePageSeesTheirRealmRoles() throws Exception {
    HttpClient browser = browser();
    HttpResponse<String> page = logInAndOpen(browser, "fg", "/console/me");

    assertThat(page.uri().getPath())
        .as("back on the page after the login")
        .isEqualTo("/console/me");
    assertThat(page.statusCode()).as("the page after the login").isEqualTo(200);
    assertThat(page.body())
        .as("who the page sees")
        .contains("\"name\":\"fg\"")
        .contains("ROLE_privacy-officer");

    HttpResponse<String> admin =
        browser.send(
            HttpRequest.newBuilder(URI.create(app("/console/covenants/me"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(admin.statusCode())
        .as("a page for covenant administrators, for the privacy officer")
        .isEqualTo(403);
  }

  @Test
  void aCovenantAdministratorReachesTheirPages() throws Exception {
    HttpResponse<String> page = logInAndOpen(browser(), "beheerder", "/console/covenants/me");
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
