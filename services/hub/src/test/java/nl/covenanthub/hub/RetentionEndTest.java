package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.lifecycle.RetentionEnds;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * When the covenant's retention of a disclosure ends, its recipient is told to erase it, once: the
 * care covenant keeps lzn's copy two years and Veilig Thuis's five, so two years and a day later
 * only lzn hears. The hub's clock is moved; the sweep runs every second here.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "hub.lifecycle.sweep-every=1s"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
@Import(ShiftedClock.AsTheHubsClock.class)
class RetentionEndTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Autowired ShiftedClock clock;
  @Autowired EmbeddedKafkaBroker broker;
  @Autowired RetentionEnds retentionEnds;

  @Test
  void aRecipientIsToldOnceWhenItsRetentionEndsAndOthersKeepTheirs() {
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString())) {
      CaseSignal care =
          PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG)
              .setCaseReference("PL-" + UUID.randomUUID())
              .build();
      CaseSignal violence =
          PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
              .setCaseReference("PL-" + UUID.randomUUID())
              .build();
      kafka.publish("partner.politie.outbox", care.getCaseReference(), PartnerEvents.bytes(care));
      kafka.publish(
          "partner.politie.outbox", violence.getCaseReference(), PartnerEvents.bytes(violence));
      String toLzn = disclosureOf(kafka, "lzn", care);
      disclosureOf(kafka, "veilig-thuis", violence);
      assertThat(notices(kafka, "lzn")).as("nothing ends before its time").isEmpty();

      clock.moveOn(Duration.ofDays(2 * 366 + 1));

      ConsumerRecord<String, byte[]> notice =
          await().atMost(WAIT).until(() -> notices(kafka, "lzn"), n -> !n.isEmpty()).get(0);
      GenericRecord view = kafka.view(notice);
      assertThat(view.get("reason").toString()).isEqualTo("RETENTION_ENDED");
      assertThat(view.get("disclosureIds").toString()).contains(toLzn);
      assertThat(view.get("caseReference").toString()).isEqualTo(care.getCaseReference());

      List<AuditRecord> audited =
          kafka.audit().stream()
              .filter(r -> "WithdrawalNotice".equals(r.getEventType()))
              .filter(r -> "hub.retention-ends".equals(r.getSourceTopic()))
              .toList();
      assertThat(audited)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getDecision()).isEqualTo(AuditDecision.DISCLOSED);
                assertThat(r.getRecipient()).isEqualTo("lzn");
                assertThat(r.getCaseReference()).isEqualTo(care.getCaseReference());
                assertThat(r.getChainId()).isEqualTo("hub.retention-ends-0");
                assertThat(r.getSequence()).isEqualTo(1L);
              });

      // Sweeps go on every second: the same retention is never told twice, and Veilig Thuis's
      // five years have not passed.
      clock.moveOn(Duration.ofDays(1));
      await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
      assertThat(notices(kafka, "lzn")).hasSize(1);
      assertThat(notices(kafka, "veilig-thuis")).isEmpty();
    }
  }

  private static String disclosureOf(KafkaProbe kafka, String recipient, CaseSignal signal) {
    Optional<ConsumerRecord<String, byte[]>> record =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    kafka.committed("partner." + recipient + ".inbox").stream()
                        .filter(r -> "CaseSignal".equals(KafkaProbe.header(r, "event-type")))
                        .filter(
                            r ->
                                signal
                                    .getEventId()
                                    .equals(String.valueOf(kafka.view(r).get("eventId"))))
                        .findFirst(),
                Optional::isPresent);
    return KafkaProbe.header(record.orElseThrow(), "disclosure-id");
  }

  private static List<ConsumerRecord<String, byte[]>> notices(KafkaProbe kafka, String partner) {
    return kafka.committed("partner." + partner + ".inbox").stream()
        .filter(r -> "WithdrawalNotice".equals(KafkaProbe.header(r, "event-type")))
        .toList();
  }
}
