package nl.covenanthub.hub;

import static nl.covenanthub.hub.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A partner that publishes the same event twice (a retry after a timeout) is not disclosed twice:
 * the second is refused as DUPLICATE and audited, also when it comes after the hub restarted.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class DuplicateEventsTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Test
  void aRetriedEventIsRefusedAsADuplicateBeforeAndAfterARestart(EmbeddedKafkaBroker broker) {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    byte[] bytes = PartnerEvents.bytes(signal);
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString())) {
      try (ConfigurableApplicationContext hub = startHub(broker)) {
        kafka.publish("partner.politie.outbox", signal.getCaseReference(), bytes);
        kafka.publish("partner.politie.outbox", signal.getCaseReference(), bytes);
        await().atMost(WAIT).until(() -> rejected(kafka, signal).size() == 1);
      }
      try (ConfigurableApplicationContext hub = startHub(broker)) {
        kafka.publish("partner.politie.outbox", signal.getCaseReference(), bytes);
        await().atMost(WAIT).until(() -> rejected(kafka, signal).size() == 2);
      }

      List<AuditRecord> audit = audit(kafka, signal);
      assertThat(audit)
          .as(
              "the first: decided once for each party (disclosed to lzn, withheld from veilig-thuis)")
          .filteredOn(a -> a.getDecision() != AuditDecision.REJECTED)
          .extracting(AuditRecord::getRecipient)
          .containsExactlyInAnyOrder("lzn", "veilig-thuis");
      assertThat(rejected(kafka, signal))
          .allSatisfy(
              a -> {
                assertThat(a.getDecision()).isEqualTo(AuditDecision.REJECTED);
                assertThat(a.getReason()).isEqualTo("DUPLICATE");
                assertThat(a.getDetail())
                    .startsWith("event id already taken in at partner.politie.outbox-")
                    .endsWith("@" + audit.get(0).getSourceOffset());
              });
      List<ConsumerRecord<String, byte[]>> delivered =
          kafka.committed("partner.lzn.inbox").stream()
              .filter(r -> signal.getEventId().equals(String.valueOf(kafka.view(r).get("eventId"))))
              .toList();
      assertThat(delivered).as("disclosed once").hasSize(1);
      assertThat(
              kafka.committed("hub.deadletter").stream()
                  .filter(r -> "DUPLICATE".equals(header(r, "deadletter-reason"))))
          .hasSize(2);
    }
  }

  private static ConfigurableApplicationContext startHub(EmbeddedKafkaBroker broker) {
    return new SpringApplicationBuilder(HubApplication.class)
        .run(
            "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "--hub.covenants=../../covenants",
            "--server.port=0");
  }

  private static List<AuditRecord> rejected(KafkaProbe kafka, CaseSignal signal) {
    return audit(kafka, signal).stream()
        .filter(a -> a.getDecision() == AuditDecision.REJECTED)
        .toList();
  }

  private static List<AuditRecord> audit(KafkaProbe kafka, CaseSignal signal) {
    return kafka.audit().stream().filter(a -> signal.getEventId().equals(a.getEventId())).toList();
  }
}
