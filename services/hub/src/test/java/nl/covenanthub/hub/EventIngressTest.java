package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.hub.http.IdempotencyKeys;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A partner publishes over HTTPS as it would on Kafka: with its own client-credentials token, a
 * JSON body checked against the Avro schema, an {@code Idempotency-Key} that makes a retry safe.
 * Against the real broker and the test Keycloak; the event takes the outbox path to its recipients.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "hub.max-event-size=4KB",
      // Per partner: no test here needs more than half of it, except the one that exhausts it.
      "hub.http.requests-per-period=40",
      "hub.http.period=1h"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class EventIngressTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static KafkaProbe kafka;

  @LocalServerPort int port;
  @Autowired HubProperties properties;
  @Autowired ConsumerFactory<?, ?> consumers;
  @Autowired KafkaAdmin admin;

  /** What a new instance, reading hub.idempotency from the beginning, says of {@code key}. */
  private IdempotencyKeys.Claim rememberedByANewInstance(String partner, String key) {
    IdempotencyKeys keys =
        new IdempotencyKeys(properties, consumers, admin, java.time.Clock.systemUTC());
    keys.start();
    try {
      return keys.claim(partner, key, "the fingerprint of another request");
    } finally {
      keys.stop();
    }
  }

  @DynamicPropertySource
  static void trustTheTestRealm(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> Keycloak.shared().issuer());
  }

  @BeforeAll
  static void probe(@Autowired EmbeddedKafkaBroker broker) {
    kafka = new KafkaProbe(broker.getBrokersAsString());
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  /** The example police signal of docs/examples, with an event id of its own. */
  private static ObjectNode signal() {
    try {
      ObjectNode json =
          (ObjectNode)
              JSON.readTree(
                  Path.of("../../docs/examples/politie-signaal-verward-gedrag.json").toFile());
      json.put("eventId", UUID.randomUUID().toString());
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String partnerToken(String partner) {
    return Keycloak.shared().clientToken(partner, Keycloak.demoSecret(partner));
  }

  private HttpResponse<String> post(String type, Object body, String key, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/partner/events/" + type))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return send(request, token);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ConsumerRecord<String, byte[]>> outbox(String partner, String eventId) {
    return kafka.committed("partner." + partner + ".outbox").stream()
        .filter(
            r ->
                new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains(eventId))
        .toList();
  }

  private static List<AuditRecord> audit(String eventId) {
    return kafka.audit().stream().filter(a -> eventId.equals(a.getEventId())).toList();
  }

  @Test
  void anEventPostedAsJsonTakesTheOutboxPathAndARetryGetsTheFirstAnswer() {
    ObjectNode signal = signal();
    signal.remove("sender"); // the token says who sends
    String eventId = signal.get("eventId").asText();
    String key = UUID.randomUUID().toString();
    String politie = partnerToken("politie");

    HttpResponse<String> first = post("CaseSignal", signal, key, politie);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(json(first).path("eventId").asText()).isEqualTo(eventId);
    await("decided for lzn and veilig-thuis")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(audit(eventId)).hasSize(2));
    assertThat(audit(eventId))
        .filteredOn(a -> a.getDecision() == AuditDecision.DISCLOSED)
        .singleElement()
        .satisfies(a -> assertThat(a.getRecipient()).isEqualTo("lzn"));
    assertThat(audit(eventId)).allSatisfy(a -> assertThat(a.getSender()).isEqualTo("politie"));

    HttpResponse<String> retry = post("CaseSignal", signal, key, politie);
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(json(retry).path("eventId").asText()).isEqualTo(eventId);

    ObjectNode other = signal();
    HttpResponse<String> reused = post("CaseSignal", other, key, politie);
    assertThat(reused.statusCode()).as("the key with another body").isEqualTo(422);
    assertThat(reused.headers().firstValue("Content-Type")).contains("application/problem+json");

    assertThat(outbox("politie", eventId)).as("published once").hasSize(1);
    assertThat(rememberedByANewInstance("politie", key))
        .as("a restarted or other instance reads the key from hub.idempotency")
        .isInstanceOf(IdempotencyKeys.Claim.Reused.class);
    assertThat(outbox("politie", other.get("eventId").asText())).isEmpty();
    assertThat(audit(eventId)).as("decided once per recipient").hasSize(2);
  }

  @Test
  void aBadEventIsRefusedWithEveryFieldNamedAndNoValueQuoted() {
    ObjectNode signal = signal();
    signal.put("occurredAt", "gisteravond laat");
    ((ObjectNode) signal.get("subject")).put("birthDate", "12-04-1971");
    signal.putArray("concerns").add("GEHEIM_SYMBOOL");
    signal.remove("caseReference");

    HttpResponse<String> refused =
        post("CaseSignal", signal, "k-" + UUID.randomUUID(), partnerToken("politie"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
    List<String> fields = new ArrayList<>();
    json(refused).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "caseReference", "occurredAt", "subject.birthDate", "concerns[0]");
    assertThat(refused.body())
        .doesNotContain("gisteravond", "12-04-1971", "GEHEIM_SYMBOOL", "J. de Vries", "999990019");
    assertThat(outbox("politie", signal.get("eventId").asText())).isEmpty();

    HttpResponse<String> notJson =
        post("CaseSignal", "{\"eventId\": geheim", "k-1", partnerToken("politie"));
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not valid JSON").doesNotContain("geheim");
    assertThat(post("NoSuchEvent", signal(), "k-2", partnerToken("politie")).statusCode())
        .isEqualTo(404);
  }

  /**
   * What the fuzzer of the bodies found (EventBodiesFuzzTest's seeds): a body beyond the JSON
   * parser's limits has no location, and an instant in year 999999999 overflows milliseconds; both
   * were answered 500. A birth date past what an Avro date holds was silently moved.
   */
  @Test
  void bodiesBeyondWhatAnEventCanHoldAre400sNot500s() {
    HttpResponse<String> deep =
        post("CaseSignal", "[".repeat(1200), "k-" + UUID.randomUUID(), partnerToken("politie"));
    assertThat(deep.statusCode()).isEqualTo(400);
    assertThat(json(deep).path("detail").asText()).startsWith("not valid JSON");

    ObjectNode farFuture = signal();
    farFuture.put("occurredAt", "+999999999-01-01T00:00:00Z");
    ((ObjectNode) farFuture.get("subject")).put("birthDate", "+999999999-12-31");
    HttpResponse<String> refused =
        post("CaseSignal", farFuture, "k-" + UUID.randomUUID(), partnerToken("politie"));
    assertThat(refused.statusCode()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    json(refused).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).containsExactlyInAnyOrder("occurredAt", "subject.birthDate");
    assertThat(outbox("politie", farFuture.get("eventId").asText())).isEmpty();
  }

  @Test
  void theSenderIsTheTokensPartnerAndNobodyElsePublishesForIt() {
    ObjectNode signal = signal(); // "sender": "politie"
    String eventId = signal.get("eventId").asText();

    HttpResponse<String> spoofed =
        post("CaseSignal", signal, "k-" + UUID.randomUUID(), partnerToken("riec"));
    assertThat(spoofed.statusCode()).as("riec claiming to be politie").isEqualTo(400);
    assertThat(json(spoofed).path("errors").get(0).path("field").asText()).isEqualTo("sender");

    assertThat(post("CaseSignal", signal, "k-3", null).statusCode()).as("no token").isEqualTo(401);
    assertThat(
            post("CaseSignal", signal, "k-4", Keycloak.shared().userToken("fg", "demo"))
                .statusCode())
        .as("a person's token, even with access to the audit")
        .isEqualTo(403);
    assertThat(
            post(
                    "CaseSignal",
                    signal,
                    "k-5",
                    Keycloak.shared()
                        .clientToken("covenant-console", Keycloak.demoSecret("covenant-console")))
                .statusCode())
        .as("a service that is no partner")
        .isEqualTo(403);
    assertThat(post("CaseSignal", signal, null, partnerToken("politie")).statusCode())
        .as("no Idempotency-Key")
        .isEqualTo(400);
    assertThat(outbox("politie", eventId)).isEmpty();
    assertThat(outbox("riec", eventId)).isEmpty();
  }

  @Test
  void tooLargeIsRefusedUnread() {
    ObjectNode signal = signal();
    signal.put("narrative", "x".repeat(5000)); // hub.max-event-size is 4KB here

    HttpResponse<String> refused =
        post("CaseSignal", signal, "k-" + UUID.randomUUID(), partnerToken("politie"));

    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(outbox("politie", signal.get("eventId").asText())).isEmpty();
  }

  @Test
  void concurrentRequestsWithOneKeyPublishOnce() {
    String politie = partnerToken("politie");
    for (int i = 0; i < 5; i++) {
      ObjectNode signal = signal();
      String key = UUID.randomUUID().toString();
      List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        requests.add(CompletableFuture.supplyAsync(() -> post("CaseSignal", signal, key, politie)));
      }
      List<Integer> statuses = requests.stream().map(r -> r.join().statusCode()).toList();
      assertThat(statuses)
          .as("each is accepted, or told the first is in progress")
          .allMatch(s -> s == 202 || s == 409);
      assertThat(statuses).contains(202);
      String eventId = signal.get("eventId").asText();
      // A commit returns before its markers are in the partition, so a read_committed reader may
      // see the record a moment after the 202; every request had its answer, so none comes later.
      await().atMost(Duration.ofMinutes(1)).until(() -> !outbox("politie", eventId).isEmpty());
      assertThat(outbox("politie", eventId)).as("published once for key %s", key).hasSize(1);
    }
  }

  @Test
  void aPartnerBeyondItsRateIsToldWhenToComeBackAndTheOthersGoOn() {
    String veiligThuis = partnerToken("veilig-thuis");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(post("CaseSignal", "{}", null, veiligThuis).statusCode());
    }
    assertThat(statuses).as("within its share: answered (here: no key)").containsOnly(400);

    HttpResponse<String> beyond = post("CaseSignal", "{}", null, veiligThuis);

    assertThat(beyond.statusCode()).isEqualTo(429);
    assertThat(beyond.headers().firstValue("Retry-After")).contains("3600");
    URI inbox = URI.create("http://localhost:" + port + "/api/partner/inbox");
    assertThat(send(HttpRequest.newBuilder(URI.create(inbox + "?wait=PT0S")), veiligThuis))
        .as("a pull counts against the same share")
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(429));
    assertThat(
            send(
                HttpRequest.newBuilder(URI.create(inbox + "/ack"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"cursor\": \"MDow\"}")),
                veiligThuis))
        .as("and so does an acknowledgement")
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(429));
    URI schemas = URI.create("http://localhost:" + port + "/api/partner/schemas");
    assertThat(send(HttpRequest.newBuilder(schemas), veiligThuis))
        .as("and reading its writer schemas")
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(429));
    assertThat(
            send(
                HttpRequest.newBuilder(schemas)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")),
                veiligThuis))
        .as("and registering one")
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(429);
              assertThat(r.headers().firstValue("Retry-After")).contains("3600");
            });
    HttpResponse<String> politie =
        post("CaseSignal", signal(), "k-" + UUID.randomUUID(), partnerToken("politie"));
    assertThat(politie.statusCode()).as("another partner's share is its own").isEqualTo(202);
  }
}
