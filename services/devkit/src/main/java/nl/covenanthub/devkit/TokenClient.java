package nl.covenanthub.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Access tokens from a Keycloak realm's token endpoint, for tests and the launcher's checks. */
public final class TokenClient {
  /** The realm's test-only public client with the password grant (see docs/security.md). */
  public static final String TEST_CLI = "test-cli";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI tokenEndpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TokenClient(String tokenEndpoint) {
    this.tokenEndpoint = URI.create(tokenEndpoint);
  }

  /** An access token of {@code clientId} (its service account) by the client-credentials grant. */
  public String clientToken(String clientId, String clientSecret) {
    return token(
        Map.of(
            "grant_type",
            "client_credentials",
            "client_id",
            clientId,
            "client_secret",
            clientSecret));
  }

  /**
   * An access token of a user by the password grant through {@value #TEST_CLI}: the claims of a
   * browser login (the user's realm roles, {@code hub} in {@code aud}).
   */
  public String userToken(String username, String password) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", TEST_CLI);
    form.put("username", username);
    form.put("password", password);
    return token(form);
  }

  private String token(Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(tokenEndpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    String who = form.getOrDefault("username", form.get("client_id"));
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach Keycloak at " + tokenEndpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Keycloak for a token", e);
    }
    if (response.statusCode() != 200) {
      // Keycloak's error body names the error (invalid_client, invalid_grant), never the secret.
      throw new IllegalStateException(
          "Keycloak refused a token ("
              + form.get("grant_type")
              + " for "
              + who
              + "): HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    try {
      JsonNode token = JSON.readTree(response.body()).path("access_token");
      if (!token.isTextual()) {
        throw new IllegalStateException(
            "Keycloak's token response for " + who + " has no access_token");
      }
      return token.asText();
    } catch (IOException e) {
      throw new IllegalStateException("Keycloak's token response for " + who + " is not JSON", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
