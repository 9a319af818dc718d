package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.lifecycle.LifecycleProperties;
import nl.covenanthub.hub.webhook.DeliveryStates;
import nl.covenanthub.hub.webhook.WebhookDelivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhook delivery across a restart: what an instance knows of parked and replayed deliveries comes
 * back from Kafka, so a case whose parked record an operator replayed goes on after the restart and
 * nothing is delivered twice. WireMock stands in for Veilig Thuis.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "hub.webhooks.allow-local=true",
      "hub.webhooks.timeout=5s",
      "hub.webhooks.endpoints[veilig-thuis].secrets=" + WebhookRestartTest.SECRET
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class WebhookRestartTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final VeiligThuisReceiver VEILIG_THUIS = new VeiligThuisReceiver();
  private static KafkaProbe kafka;

  @Autowired WebhookDelivery webhooks;
  @Autowired HubProperties properties;
  @Autowired LifecycleProperties lifecycle;
  @Autowired ActiveCovenants covenants;
  @Autowired ConsumerFactory<?, ?> consumers;
  @Autowired ProducerFactory<Object, Object> producers;
  @Autowired KafkaAdmin admin;
  @Autowired Clock clock;

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

  /** A police report of domestic violence for Veilig Thuis, answered with {@code status}. */
  private static CaseSignal send(String caseReference, int status) {
    CaseSignal signal =
        PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setCaseReference(caseReference)
            .build();
    answer(signal, status);
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    return signal;
  }

  private static void answer(CaseSignal signal, int status) {
    VEILIG_THUIS.answer(signal, status);
  }

  private static int deliveriesOf(CaseSignal signal) {
    return VEILIG_THUIS.deliveriesOf(signal).size();
  }

  private static String disclosureIdOf(CaseSignal signal) {
    await().atMost(WAIT).until(() -> inboxRecordOf(signal) != null);
    return KafkaProbe.header(inboxRecordOf(signal), "disclosure-id");
  }

  private static org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> inboxRecordOf(
      CaseSignal signal) {
    return kafka.committed("partner.veilig-thuis.inbox").stream()
        .filter(r -> signal.getEventId().equals(String.valueOf(kafka.view(r).get("eventId"))))
        .findFirst()
        .orElse(null);
  }

  private static void awaitState(
      WebhookDelivery instance, String disclosureId, DeliveryStates.State state, int attempts) {
    await(state + " after " + attempts + " attempt(s)")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(instance.delivery(disclosureId))
                    .hasValueSatisfying(
                        d -> {
                          assertThat(d.state()).isEqualTo(state);
                          assertThat(d.attempts()).isEqualTo(attempts);
                        }));
  }

  /** The instance that comes up after a restart: built from the same settings, reading Kafka. */
  private WebhookDelivery restarted() {
    return new WebhookDelivery(
        properties,
        lifecycle,
        covenants,
        consumers,
        producers,
        admin,
        new SimpleMeterRegistry(),
        clock);
  }

  @Test
  void aCaseWhoseParkedRecordWasReplayedGoesOnAfterARestartAndNothingIsDeliveredTwice() {
    String sameCase = "PL-" + UUID.randomUUID();
    CaseSignal refused = send(sameCase, 400);
    String refusedId = disclosureIdOf(refused);
    awaitState(webhooks, refusedId, DeliveryStates.State.PARKED, 1);
    answer(refused, 200);
    assertThat(webhooks.replay("veilig-thuis"))
        .anySatisfy(r -> assertThat(r.disclosureId()).isEqualTo(refusedId));
    awaitState(webhooks, refusedId, DeliveryStates.State.DELIVERED, 2);

    webhooks.stop();
    WebhookDelivery after = restarted();
    after.start();
    try {
      CaseSignal next = send(sameCase, 200);
      String nextId = disclosureIdOf(next);
      awaitState(after, nextId, DeliveryStates.State.DELIVERED, 1);
      assertThat(deliveriesOf(next)).isEqualTo(1);
      assertThat(after.parked("veilig-thuis"))
          .as("a replayed record is no longer parked")
          .noneSatisfy(p -> assertThat(p.disclosureId()).isEqualTo(refusedId));
      assertThat(after.replay("veilig-thuis"))
          .as("a replay after the restart does not send it again")
          .noneSatisfy(r -> assertThat(r.disclosureId()).isEqualTo(refusedId));
      assertThat(deliveriesOf(refused)).as("refused once, delivered by the replay").isEqualTo(2);
    } finally {
      after.stop();
    }
  }
}
