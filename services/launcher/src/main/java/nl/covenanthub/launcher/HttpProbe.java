package nl.covenanthub.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import nl.covenanthub.devkit.TokenClient;

/**
 * Asks the services over HTTP what they are: healthy, which process answers, what they counted.
 * Tokens of the demo users {@code operator} and {@code fg} come from the local realm (and are kept
 * for a minute).
 */
final class HttpProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TOKEN_REUSE = Duration.ofMinutes(1);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Supplier<TokenClient> tokens;
  private final CachedToken operator = new CachedToken("operator");
  private final CachedToken privacyOfficer = new CachedToken("fg");

  /** {@code tokens} null: no demo users to ask (an external realm). */
  HttpProbe(Supplier<TokenClient> tokens) {
    this.tokens = tokens;
  }

  /**
   * Whether the service on {@code port} is healthy and is the process {@code pid} (its {@code
   * /actuator/info}, for operators), not something else that has the port. Without demo users,
   * health alone.
   */
  boolean ready(int port, long pid) throws IOException, InterruptedException {
    JsonNode health = get(port, "/actuator/health", null);
    if (!"UP".equals(health.path("status").asText())) {
      return false;
    }
    if (tokens == null) {
      return true;
    }
    JsonNode info = get(port, "/actuator/info", operator);
    return info.path("process").path("pid").asLong(-1) == pid;
  }

  /** The sum of a counter over all its tags, from {@code /actuator/prometheus} (the operator's). */
  double counter(int port, String name) throws IOException, InterruptedException {
    String text = send(port, "/actuator/prometheus", operator);
    double sum = 0;
    for (String line : text.split("\n")) {
      // Prometheus text format: name{tags} value, or name value.
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /**
   * The console's count of audit records decided since {@code from} (the privacy officer's API).
   */
  long auditRecordsSince(int consolePort, Instant from) throws IOException, InterruptedException {
    JsonNode page = get(consolePort, "/api/disclosures?from=" + from + "&size=1", privacyOfficer);
    return page.path("total").asLong();
  }

  private JsonNode get(int port, String path, CachedToken token)
      throws IOException, InterruptedException {
    return JSON.readTree(send(port, path, token));
  }

  private String send(int port, String path, CachedToken token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token.get());
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 401 && token != null) {
      token.forget(); // e.g. Keycloak was restarted with new keys
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " on port " + port + ": HTTP " + response.statusCode());
    }
    return response.body();
  }

  /**
   * A demo user's token, asked again after {@link #TOKEN_REUSE} (access tokens live five minutes).
   */
  private final class CachedToken {
    private final String user;
    private String token;
    private long fetchedAt;

    CachedToken(String user) {
      this.user = user;
    }

    synchronized String get() {
      if (token == null || System.nanoTime() - fetchedAt > TOKEN_REUSE.toNanos()) {
        token = tokens.get().userToken(user, "demo");
        fetchedAt = System.nanoTime();
      }
      return token;
    }

    synchronized void forget() {
      token = null;
    }
  }
}
