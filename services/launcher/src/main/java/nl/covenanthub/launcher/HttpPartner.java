package nl.covenanthub.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nl.covenanthub.devkit.Await;
import nl.covenanthub.devkit.TokenClient;

/**
 * A partner whose system speaks HTTPS, not Kafka (the municipality's, say): it publishes over the
 * hubs' {@code POST /api/partner/events/{type}} with an {@code Idempotency-Key}, and as a careful
 * client does, retries a request that got no answer (the hub it asked was killed) or a 409 or 5xx
 * with the same key and body, on the other hub, until it has a 202. An event counts as published
 * once a hub answered 202; each must then be decided once, however many times it was sent.
 */
final class HttpPartner implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long one event is retried before the partner gives up on it (and the verdict counts it).
   */
  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

  private static final Duration PAUSE = Duration.ofMillis(500);

  /** The outcome of each event sent: its event id, and whether a hub accepted it (202). */
  private final Map<String, Boolean> outcomes = new ConcurrentHashMap<>();

  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicInteger replays = new AtomicInteger();
  private final ExecutorService sender;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String partner;
  private final String secret;
  private final TokenClient tokens;
  private final List<URI> hubs;
  private volatile String token;

  HttpPartner(String partner, String secret, String tokenEndpoint, List<URI> hubs) {
    this.partner = partner;
    this.secret = secret;
    this.tokens = new TokenClient(tokenEndpoint);
    this.hubs = List.copyOf(hubs);
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "chaos-http-" + partner);
              thread.setDaemon(true);
              return thread;
            });
  }

  String partner() {
    return partner;
  }

  /** Sends the event in the background, in the order given, until a hub accepts it. */
  void publish(String eventType, ObjectNode event) {
    String eventId = event.get("eventId").asText();
    outcomes.put(eventId, false);
    sender.execute(() -> send(eventType, eventId, event));
  }

  /** The event ids a hub accepted (202). */
  List<String> accepted() {
    return outcomes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  /** The event ids no hub accepted within {@link #GIVE_UP_AFTER}. */
  List<String> notAccepted() {
    return outcomes.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  /** Requests sent again after no answer, a 409 or a 5xx. */
  int retries() {
    return retries.get();
  }

  /**
   * Retries a hub answered as the first request's replay ({@code Idempotent-Replayed}): the first
   * had reached the outbox.
   */
  int replays() {
    return replays.get();
  }

  private void send(String eventType, String eventId, ObjectNode event) {
    String key = UUID.randomUUID().toString();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    int attempt = 0;
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      URI hub = hubs.get(attempt % hubs.size()).resolve("/api/partner/events/" + eventType);
      HttpResponse<Void> answer = post(hub, key, body);
      int status = answer == null ? 0 : answer.statusCode();
      if (status == 202) {
        if (answer.headers().firstValue("Idempotent-Replayed").isPresent()) {
          replays.incrementAndGet();
        }
        outcomes.put(eventId, true);
        return;
      }
      if (status == 401) {
        token = null; // expired: a new one, and the same request again
      } else if (status >= 400 && status < 500 && status != 409 && status != 429) {
        // A valid event refused: not retried; the verdict counts it as lost.
        System.err.println(
            "[chaos] " + partner + ": POST " + eventType + " answered " + status + "; given up");
        return;
      }
      attempt++;
      retries.incrementAndGet();
      Await.sleep(PAUSE);
    }
  }

  /** The answer, or null when there was none (the hub was down or died mid-request). */
  private HttpResponse<Void> post(URI uri, String key, byte[] body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token())
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException | RuntimeException e) {
      return null; // no answer (Keycloak's token endpoint included): tried again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private String token() {
    String current = token;
    if (current == null) {
      current = tokens.clientToken(partner, secret);
      token = current;
    }
    return current;
  }

  /** Waits until every event was accepted or given up on. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(GIVE_UP_AFTER.toMinutes() + 1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.shutdownNow();
  }
}
