package nl.covenanthub.hub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.WebhookSignatures;
import nl.covenanthub.hub.webhook.DeliveryStates;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Veilig Thuis receives its inbox by webhook, and WireMock stands in for its registration system:
 * signed deliveries with only the view, retries of 5xx and timeouts on the schedule (the hub's
 * clock is moved, nothing waits for it), a partner that is down for minutes and then gets
 * everything, a 4xx parked at once and replayed by an operator with its case's later record behind
 * it, a budget that runs out, a circuit breaker that spares a partner that is down, and 410 Gone
 * that stops the endpoint until an operator enables it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "hub.webhooks.allow-local=true",
      "hub.webhooks.schedule=0s,1m,5m,30m,2h",
      "hub.webhooks.timeout=1s",
      // Real seconds: an open breaker lets the next attempt through soon (a test's clock moves on).
      "hub.webhooks.open-for=1s",
      "hub.webhooks.endpoints[veilig-thuis].secrets="
          + WebhookDeliveryTest.OLD_SECRET
          + ","
          + WebhookDeliveryTest.NEW_SECRET
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
@Import(ShiftedClock.AsTheHubsClock.class)
class WebhookDeliveryTest {
  static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String NEW_SECRET = "whsec_dGhlIG5ldyBzZWNyZXQgb2YgdmVpbGlnIHRodWlz";
  private static final String HOOK = VeiligThuisReceiver.HOOK;
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final VeiligThuisReceiver VEILIG_THUIS = new VeiligThuisReceiver();
  private static KafkaProbe kafka;

  @Autowired ShiftedClock clock;
  @Autowired MeterRegistry registry;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void endpoints(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> Keycloak.shared().issuer());
    registry.add("hub.webhooks.endpoints[veilig-thuis].url", () -> VEILIG_THUIS.url());
  }

  @BeforeAll
  static void probe(@Autowired EmbeddedKafkaBroker broker) {
    kafka = new KafkaProbe(broker.getBrokersAsString());
  }

  @AfterAll
  static void close() {
    kafka.close();
    VEILIG_THUIS.stop();
  }

  /**
   * A police report of domestic violence, for Veilig Thuis; {@code caseReference} names the case.
   */
  private static CaseSignal send(String caseReference) {
    return send(caseReference, 0);
  }

  /** As {@link #send(String)}, answered with {@code status} (unless 0) before it is published. */
  private static CaseSignal send(String caseReference, int status) {
    CaseSignal signal =
        PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setCaseReference(caseReference)
            .build();
    if (status != 0) {
      answer(signal, status);
    }
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    return signal;
  }

  private static String newCase() {
    return "PL-" + UUID.randomUUID();
  }

  /** Veilig Thuis answers {@code status} to the deliveries of this event. */
  private static void answer(CaseSignal signal, int status) {
    VEILIG_THUIS.answer(signal, status);
  }

  private static List<LoggedRequest> deliveriesOf(CaseSignal signal) {
    return VEILIG_THUIS.deliveriesOf(signal);
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode operator(String method, String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + Keycloak.shared().userToken("operator", "demo"))
            .method(method, HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method + " " + path).isBetween(200, 299);
      return response.body().isEmpty() ? JSON.nullNode() : json(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The delivery state of the disclosure of {@code signal} to Veilig Thuis. */
  private JsonNode stateOf(CaseSignal signal) {
    String disclosureId = disclosureIdOf(signal);
    return operator("GET", "/api/operator/webhooks/deliveries/" + disclosureId);
  }

  private static String disclosureIdOf(CaseSignal signal) {
    ConsumerRecord<String, byte[]> record = inboxRecordOf(signal);
    return KafkaProbe.header(record, "disclosure-id");
  }

  private static ConsumerRecord<String, byte[]> inboxRecordOf(CaseSignal signal) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.committed("partner.veilig-thuis.inbox").stream()
                    .anyMatch(
                        r ->
                            signal
                                .getEventId()
                                .equals(String.valueOf(kafka.view(r).get("eventId")))));
    return kafka.committed("partner.veilig-thuis.inbox").stream()
        .filter(r -> signal.getEventId().equals(String.valueOf(kafka.view(r).get("eventId"))))
        .findFirst()
        .orElseThrow();
  }

  private void awaitState(CaseSignal signal, String state, int attempts) {
    await(state + " after " + attempts + " attempt(s)")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode delivery = stateOf(signal);
              assertThat(delivery.path("state").asText()).isEqualTo(state);
              assertThat(delivery.path("attempts").asInt()).isEqualTo(attempts);
            });
  }

  private void later(Duration duration) {
    clock.moveOn(duration);
  }

  @Test
  void aDeliveryIsSignedAndCarriesWhatTheCovenantAllowsAndNothingMore() {
    CaseSignal signal = send(newCase());
    VEILIG_THUIS.server.stubFor(
        post(urlEqualTo(HOOK))
            .withRequestBody(containing(signal.getEventId()))
            .willReturn(aResponse().withStatus(204).withFixedDelay(300))); // a slow answer

    awaitState(signal, "DELIVERED", 1);

    LoggedRequest request = deliveriesOf(signal).get(0);
    String id = request.getHeader(WebhookSignatures.ID_HEADER);
    assertThat(id).isEqualTo(disclosureIdOf(signal));
    for (String secret : List.of(OLD_SECRET, NEW_SECRET)) {
      assertThat(
              WebhookSignatures.verify(
                  id,
                  request.getHeader(WebhookSignatures.TIMESTAMP_HEADER),
                  request.getHeader(WebhookSignatures.SIGNATURE_HEADER),
                  request.getBody(),
                  List.of(secret),
                  clock.instant()))
          .as("a receiver with either secret of the rotation verifies it")
          .isTrue();
    }
    JsonNode body = json(request.getBodyAsString());
    GenericRecord view = kafka.view(inboxRecordOf(signal));
    Set<String> sent = new HashSet<>();
    body.path("event").fieldNames().forEachRemaining(sent::add);
    Set<String> allowed = new HashSet<>();
    view.getSchema().getFields().forEach(f -> allowed.add(f.name()));
    assertThat(sent).as("the fields of the view, and only those").isEqualTo(allowed);
    assertThat(body.path("headers").path("covenant-id").asText())
        .isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
  }

  @Test
  void serverErrorsAndTimeoutsAreRetriedOnTheScheduleUntilOnePasses() {
    CaseSignal signal = send(newCase());
    String scenario = "flaky-" + signal.getEventId();
    VEILIG_THUIS.server.stubFor(
        post(urlEqualTo(HOOK))
            .withRequestBody(containing(signal.getEventId()))
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("slow"));
    VEILIG_THUIS.server.stubFor(
        post(urlEqualTo(HOOK))
            .withRequestBody(containing(signal.getEventId()))
            .inScenario(scenario)
            .whenScenarioStateIs("slow")
            .willReturn(aResponse().withStatus(200).withFixedDelay(3000)) // the hub waits 1 s
            .willSetStateTo("well"));
    VEILIG_THUIS.server.stubFor(
        post(urlEqualTo(HOOK))
            .withRequestBody(containing(signal.getEventId()))
            .inScenario(scenario)
            .whenScenarioStateIs("well")
            .willReturn(aResponse().withStatus(200)));

    awaitState(signal, "RETRYING", 1);
    assertThat(deliveriesOf(signal)).as("nothing more until the next attempt is due").hasSize(1);
    later(Duration.ofMinutes(1));
    awaitState(signal, "RETRYING", 2);
    assertThat(stateOf(signal).path("reason").asText()).contains("no answer within");
    later(Duration.ofMinutes(5));
    awaitState(signal, "DELIVERED", 3);
    assertThat(deliveriesOf(signal)).hasSize(3);
  }

  @Test
  void aPartnerDownForMinutesGetsEverythingOnceItIsBack() {
    List<CaseSignal> signals = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CaseSignal signal = send(newCase());
      answer(signal, 503);
      signals.add(signal);
    }
    signals.forEach(s -> awaitState(s, "RETRYING", 1));
    later(Duration.ofMinutes(1));
    signals.forEach(s -> awaitState(s, "RETRYING", 2));

    signals.forEach(s -> answer(s, 200)); // back, five minutes on
    later(Duration.ofMinutes(5));

    signals.forEach(s -> awaitState(s, "DELIVERED", 3));
    signals.forEach(s -> assertThat(deliveriesOf(s)).hasSize(3));
  }

  @Test
  void aRefusalIsParkedAtOnceAndItsCaseWaitsBehindItUntilAnOperatorReplaysIt() {
    String sameCase = newCase();
    CaseSignal first = send(sameCase);
    answer(first, 400);
    awaitState(first, "PARKED", 1);
    CaseSignal second = send(sameCase);
    answer(second, 200);
    awaitState(second, "PARKED", 0);
    assertThat(stateOf(second).path("reason").asText()).contains("behind a parked record");
    later(Duration.ofHours(24));
    assertThat(deliveriesOf(first)).as("not retried for ever").hasSize(1);
    assertThat(deliveriesOf(second)).as("not before the first of its case").isEmpty();

    JsonNode parked = operator("GET", "/api/operator/webhooks/veilig-thuis/parked");
    List<String> ids = new ArrayList<>();
    parked.forEach(p -> ids.add(p.path("disclosureId").asText()));
    assertThat(ids).containsSubsequence(disclosureIdOf(first), disclosureIdOf(second));
    assertThat(parked.toString()).doesNotContain(first.getSubject().getName());

    answer(first, 200);
    JsonNode replayed = operator("POST", "/api/operator/webhooks/veilig-thuis/parked/replay");

    List<String> ours = List.of(disclosureIdOf(first), disclosureIdOf(second));
    replayed.forEach(
        r -> {
          if (ours.contains(r.path("disclosureId").asText())) {
            assertThat(r.path("outcome").asText()).isEqualTo("DELIVERED");
          }
        });
    awaitState(first, "DELIVERED", 2);
    awaitState(second, "DELIVERED", 1);
    List<LoggedRequest> order =
        VEILIG_THUIS.server.findAll(postRequestedFor(urlEqualTo(HOOK))).stream()
            .filter(r -> r.getBodyAsString().contains(sameCase))
            .toList();
    assertThat(order.get(order.size() - 1).getBodyAsString())
        .as("the case's records in their order")
        .contains(second.getEventId());
  }

  @Test
  void aDeliveryThatNeverPassesIsParkedWhenTheScheduleRunsOut() {
    CaseSignal signal = send(newCase());
    answer(signal, 502);
    awaitState(signal, "RETRYING", 1);
    int attempts = 1;
    for (Duration wait :
        List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30))) {
      later(wait);
      // The hub's state, not the receiver's log: the clock may move on only once the hub has
      // taken the answer and set when the next attempt is due.
      awaitState(signal, "RETRYING", ++attempts);
      assertThat(deliveriesOf(signal)).hasSize(attempts);
    }
    later(Duration.ofHours(2));
    awaitState(signal, "PARKED", 5);
    assertThat(stateOf(signal).path("reason").asText()).startsWith("no success in 5 attempts");
  }

  /**
   * The clock stands still here, so the breaker's second passes only when the test says: while the
   * partner is down, an open breaker lets one trial through per wait and holds every other retry.
   */
  @Test
  void anOpenCircuitSparesAPartnerThatIsDownAndClosesOnTheFirstSuccess() {
    clock.stop();
    try {
      List<CaseSignal> signals = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        CaseSignal signal = send(newCase());
        answer(signal, 503);
        signals.add(signal);
      }
      await("circuit open").atMost(WAIT).until(() -> "OPEN".equals(circuit()));
      assertThat(circuitGauge()).isEqualTo(1.0);
      int before = deliveriesOf(signals);

      later(Duration.ofMinutes(1)); // every retry is due, and so is the breaker's trial
      await("one trial").atMost(WAIT).until(() -> deliveriesOf(signals) == before + 1);
      await("open after the failed trial").atMost(WAIT).until(() -> "OPEN".equals(circuit()));
      later(Duration.ofSeconds(2)); // more than the breaker's wait, which is 1 s here
      await("the next trial").atMost(WAIT).until(() -> deliveriesOf(signals) == before + 2);
      await().atMost(WAIT).until(() -> "OPEN".equals(circuit()));

      signals.forEach(s -> answer(s, 200)); // back
      later(Duration.ofSeconds(2));
      await("closed").atMost(WAIT).until(() -> "CLOSED".equals(circuit()));
      later(Duration.ofMinutes(5)); // the retries scheduled before the breaker opened
      signals.forEach(
          s ->
              await()
                  .atMost(WAIT)
                  .until(() -> "DELIVERED".equals(stateOf(s).path("state").asText())));
      assertThat(deliveriesOf(signals))
          .as("the first attempts, two trials while down, then each once")
          .isEqualTo(before + 2 + signals.size());
      assertThat(circuitGauge()).isZero();
    } finally {
      clock.restart();
    }
  }

  /**
   * What the hub knows of a delivery lives as long as the inbox keeps the record it delivers
   * ({@code hub.lifecycle.inbox-retention}, 7 days): then the instance forgets the state, and a
   * tombstone makes the topic forget it too, so neither grows with every delivery ever made. A
   * parked record goes with it: no longer listed, nor holding back its case.
   */
  @Test
  void aDeliveryStateIsForgottenWhenTheInboxRetentionEndsAndTheTopicForgetsItToo() {
    CaseSignal delivered = send(newCase(), 200);
    CaseSignal parked = send(newCase(), 400);
    awaitState(delivered, "DELIVERED", 1);
    awaitState(parked, "PARKED", 1);
    double parkedBefore = parkedGauge();

    later(Duration.ofDays(7).minusMinutes(1));
    awaitState(delivered, "DELIVERED", 1);
    assertThat(parkedIds()).contains(disclosureIdOf(parked));
    later(Duration.ofMinutes(1));

    for (CaseSignal signal : List.of(delivered, parked)) {
      String id = disclosureIdOf(signal);
      assertThat(operatorStatus("/api/operator/webhooks/deliveries/" + id))
          .as("forgotten by the instance")
          .isEqualTo(404);
      await("a tombstone on " + DeliveryStates.TOPIC)
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                List<ConsumerRecord<String, byte[]>> states =
                    kafka.committed(DeliveryStates.TOPIC).stream()
                        .filter(r -> id.equals(r.key()))
                        .toList();
                assertThat(states).isNotEmpty();
                assertThat(states.get(states.size() - 1).value()).isNull();
              });
    }
    assertThat(parkedGauge()).as("not counted as parked any more").isLessThan(parkedBefore);
    assertThat(parkedIds()).doesNotContain(disclosureIdOf(parked));
    CaseSignal next = send(parked.getCaseReference(), 200);
    awaitState(next, "DELIVERED", 1);
  }

  private List<String> parkedIds() {
    List<String> ids = new ArrayList<>();
    operator("GET", "/api/operator/webhooks/veilig-thuis/parked")
        .forEach(p -> ids.add(p.path("disclosureId").asText()));
    return ids;
  }

  private double parkedGauge() {
    return registry
        .get("hub.webhook.deliveries")
        .tag("partner", "veilig-thuis")
        .tag("state", "parked")
        .gauge()
        .value();
  }

  private int operatorStatus(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + Keycloak.shared().userToken("operator", "demo"))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int deliveriesOf(List<CaseSignal> signals) {
    return signals.stream().mapToInt(s -> deliveriesOf(s).size()).sum();
  }

  private String circuit() {
    return operator("GET", "/api/operator/webhooks").path("veilig-thuis").path("circuit").asText();
  }

  private double circuitGauge() {
    return registry.get("hub.webhook.circuit.open").tag("partner", "veilig-thuis").gauge().value();
  }

  @Test
  void goneStopsTheEndpointUntilAnOperatorEnablesIt() {
    CaseSignal signal = send(newCase());
    answer(signal, 410);
    await()
        .atMost(WAIT)
        .until(
            () ->
                !operator("GET", "/api/operator/webhooks")
                    .path("veilig-thuis")
                    .path("enabled")
                    .asBoolean());
    assertThat(
            operator("GET", "/api/operator/webhooks")
                .path("veilig-thuis")
                .path("disabledBecause")
                .asText())
        .contains("410");

    answer(signal, 200); // the partner is back
    operator("POST", "/api/operator/webhooks/veilig-thuis/enable");

    awaitState(signal, "DELIVERED", 2);
  }
}
