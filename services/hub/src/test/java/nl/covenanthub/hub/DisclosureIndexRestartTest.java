package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.CaseStatusChange;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.ErasureRequest;
import nl.covenanthub.events.ErasureScope;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The hub that disclosed a case is gone before the case is withdrawn; a new one, which never saw
 * the disclosure, still knows the recipient from {@code hub.disclosure-index} and tells it. The
 * recipient confirms the erasure; a third hub, which saw neither, knows from the same topic that
 * nobody holds anything of the case any more.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class DisclosureIndexRestartTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Test
  void aHubThatNeverSawTheDisclosureStillTellsTheRecipientOfTheWithdrawal(
      EmbeddedKafkaBroker broker) {
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString())) {
      String caseReference = "PL-" + UUID.randomUUID();
      CaseSignal signal =
          PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
              .setCaseReference(caseReference)
              .build();
      String disclosureId;
      try (ConfigurableApplicationContext first = startHub(broker)) {
        kafka.publish("partner.politie.outbox", caseReference, PartnerEvents.bytes(signal));
        disclosureId =
            KafkaProbe.header(
                await()
                    .atMost(WAIT)
                    .until(() -> inbox(kafka, "eventId", signal.getEventId()), Optional::isPresent)
                    .orElseThrow(),
                "disclosure-id");
      }

      try (ConfigurableApplicationContext second = startHub(broker)) {
        CaseStatusChange withdrawal =
            CaseStatusChange.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setSender("politie")
                .setCaseReference(caseReference)
                .setOccurredAt(Instant.parse("2026-12-01T09:00:00Z"))
                .setPurpose("huiselijk-geweld")
                .setSubject(signal.getSubject())
                .setStatus(CaseStatus.WITHDRAWN)
                .setContact(signal.getContact())
                .build();
        kafka.publish("partner.politie.outbox", caseReference, PartnerEvents.bytes(withdrawal));

        GenericRecord notice =
            kafka.view(
                await()
                    .atMost(WAIT)
                    .until(
                        () -> inbox(kafka, "caseReference", caseReference, "WithdrawalNotice"),
                        Optional::isPresent)
                    .orElseThrow());
        assertThat(notice.get("disclosureIds").toString()).contains(disclosureId);
        assertThat(notice.get("sender").toString()).isEqualTo("politie");

        String noticeId = notice.get("noticeId").toString();
        kafka.publish(
            "partner.veilig-thuis.outbox",
            "VT-2026-0815",
            PartnerEvents.bytes(PartnerEvents.acknowledgement("veilig-thuis", noticeId)));
        // Passed on to politie in the transaction that made the index forget the disclosure.
        await()
            .atMost(WAIT)
            .until(
                () ->
                    kafka.committed("partner.politie.inbox").stream()
                        .map(kafka::view)
                        .anyMatch(
                            v ->
                                v.hasField("noticeId")
                                    && noticeId.equals(v.get("noticeId").toString())));
      }

      try (ConfigurableApplicationContext third = startHub(broker)) {
        ErasureRequest erasure =
            PartnerEvents.erasure("politie", caseReference, ErasureScope.CASE).build();
        kafka.publish("partner.politie.outbox", caseReference, PartnerEvents.bytes(erasure));

        AuditRecord audited =
            await()
                .atMost(WAIT)
                .until(() -> kafka.auditOf(erasure.getEventId()), a -> !a.isEmpty())
                .get(0);
        assertThat(audited.getDecision())
            .as("Veilig Thuis erased the only disclosure: nobody is told")
            .isEqualTo(AuditDecision.WITHHELD);
        assertThat(audited.getReason()).isEqualTo("NOTHING_DISCLOSED");
      }
    }
  }

  private static Optional<ConsumerRecord<String, byte[]>> inbox(
      KafkaProbe kafka, String field, String value) {
    return inbox(kafka, field, value, "CaseSignal");
  }

  private static Optional<ConsumerRecord<String, byte[]>> inbox(
      KafkaProbe kafka, String field, String value, String eventType) {
    return kafka.committed("partner.veilig-thuis.inbox").stream()
        .filter(r -> eventType.equals(KafkaProbe.header(r, "event-type")))
        .filter(r -> value.equals(String.valueOf(kafka.view(r).get(field))))
        .findFirst();
  }

  private static ConfigurableApplicationContext startHub(EmbeddedKafkaBroker broker) {
    return new SpringApplicationBuilder(HubApplication.class)
        .run(
            "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "--hub.covenants=../../covenants",
            "--server.port=0",
            "--spring.kafka.consumer.properties.session.timeout.ms=10000");
  }
}
