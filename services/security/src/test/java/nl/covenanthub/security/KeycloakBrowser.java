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

/**
 * A browser that logs in at Keycloak's own login form, as a person's browser does: its own cookies,
 * redirects followed, the demo password.
 */
final class KeycloakBrowser {
  private static final Pattern LOGIN_FORM =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new LocalhostIsSecure())
          .followRedirects(HttpClient.Redirect.ALWAYS)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * Opens {@code url}, is sent to Keycloak's login form, logs in as {@code username} with the demo
   * password; the response after all redirects.
   */
  HttpResponse<String> logInAndOpen(String url, String username) throws Exception {
    HttpResponse<String> loginPage =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(loginPage.uri().toString())
        .as("where %s sends a person without a session", url)
        .startsWith(Keycloak.shared().issuer() + "/protocol/openid-connect/auth");
    Matcher form = LOGIN_FORM.matcher(loginPage.body());
    assertThat(form.find()).as("Keycloak's login form").isTrue();
    String action = form.group(1).replace("&amp;", "&");
    String credentials =
        "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password=demo";
    return http.send(
        HttpRequest.newBuilder(URI.create(action))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(credentials))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Opens {@code url} with this browser's cookies; the response after all redirects. */
  HttpResponse<String> open(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
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
}
