package nl.covenanthub.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.security.testapp.SecuredTestApp;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The secured test app on a random port, trusting the realm of this JVM's real Keycloak (started
 * once, on first use). Test classes that extend it share one application context.
 */
@SpringBootTest(
    classes = SecuredTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SecuredAppTestBase {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void trustTheTestRealm(DynamicPropertyRegistry registry) {
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> keycloak().issuer());
  }

  static Keycloak keycloak() {
    return Keycloak.shared();
  }

  /**
   * GET {@code path} of the app, with {@code Authorization: Bearer <token>} unless the token is
   * null.
   */
  HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int status(String path, String token) {
    return get(path, token).statusCode();
  }

  static String userToken(String username) {
    return keycloak().userToken(username, "demo");
  }

  static String clientToken(String clientId) {
    return keycloak().clientToken(clientId, Keycloak.demoSecret(clientId));
  }
}
