package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A failure after the inbox records are sent and before the audit is written, in the middle of a
 * batch: the transaction aborts, the batch is redelivered, and a read_committed consumer sees each
 * delivery once, each with its audit record.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "server.port=0"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class ExactlyOnceTest {
  private static final String FAILING_CASE = "CASE-FAIL-ONCE";
  private static final AtomicInteger failures = new AtomicInteger();
  private static KafkaProbe kafka;

  @BeforeAll
  static void failTheAuditOfOneEventOnce(
      @Autowired CamelContext camel, @Autowired EmbeddedKafkaBroker broker) throws Exception {
    kafka = new KafkaProbe(broker.getBrokersAsString());
    AdviceWith.adviceWith(
        camel,
        "outbox",
        route ->
            route
                .weaveById("audit")
                .before()
                .process(
                    exchange -> {
                      DecidedEvent decided = exchange.getIn().getBody(DecidedEvent.class);
                      if (decided.incoming().caseReference().equals(FAILING_CASE)
                          && failures.getAndIncrement() == 0) {
                        throw new KafkaException("simulated failure to write the audit");
                      }
                    }));
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @Test
  void anAbortedBatchLeavesNoDeliveryWithoutAuditAndNoDuplicateAfterRedelivery() {
    CaseSignal before =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    CaseSignal failing =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT)
            .setCaseReference(FAILING_CASE)
            .build();
    CaseSignal after =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    // One key, so one partition and, very likely, one batch: the failure is in its middle.
    for (CaseSignal signal : List.of(before, failing, after)) {
      kafka.publish("partner.politie.outbox", "same-partition", PartnerEvents.bytes(signal));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(kafka.audit())
                    .filteredOn(a -> a.getEventId().equals(after.getEventId()))
                    .hasSize(PartnerEvents.UNDERMINING_RECIPIENTS));

    assertThat(failures.get()).as("the simulated failure happened").isGreaterThanOrEqualTo(1);
    for (CaseSignal signal : List.of(before, failing, after)) {
      for (String recipient : List.of("riec", "lzn")) {
        List<ConsumerRecord<String, byte[]>> delivered =
            kafka.committed("partner." + recipient + ".inbox").stream()
                .filter(
                    r -> signal.getEventId().equals(String.valueOf(kafka.view(r).get("eventId"))))
                .toList();
        List<AuditRecord> audited =
            kafka.audit().stream()
                .filter(
                    a ->
                        signal.getEventId().equals(a.getEventId())
                            && recipient.equals(a.getRecipient()))
                .toList();
        assertThat(delivered)
            .as("committed deliveries of %s to %s", signal.getCaseReference(), recipient)
            .hasSize(1);
        assertThat(audited)
            .as("audit records of %s to %s", signal.getCaseReference(), recipient)
            .singleElement()
            .satisfies(
                a -> {
                  assertThat(a.getDecision()).isEqualTo(AuditDecision.DISCLOSED);
                  assertThat(KafkaProbe.header(delivered.get(0), "disclosure-id"))
                      .isEqualTo(a.getDisclosureId());
                });
      }
    }
    long attempted =
        kafka.read("partner.riec.inbox", true).stream()
            .filter(r -> FAILING_CASE.equals(String.valueOf(kafka.view(r).get("caseReference"))))
            .count();
    // The aborted attempt's records reach the broker only if the producer sent them before the
    // abort (it drops unsent batches), so read_uncommitted sees one or two; read_committed saw
    // exactly one above.
    assertThat(attempted)
        .as("deliveries of the failing event visible to read_uncommitted")
        .isBetween(1L, 2L);
  }
}
