package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The audit chains survive what happens to hubs: a second hub joining (a rebalance), the first one
 * leaving, and a restart. Every chain stays gap-free and linked, and every event is audited once.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class AuditChainContinuityTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ConfigurableApplicationContext startHub(EmbeddedKafkaBroker broker) {
    return new SpringApplicationBuilder(HubApplication.class)
        .run(
            "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "--hub.covenants=../../covenants",
            "--server.port=0",
            "--spring.kafka.consumer.properties.session.timeout.ms=10000");
  }

  private static List<CaseSignal> publish(KafkaProbe kafka, int count) {
    List<CaseSignal> signals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CaseSignal signal =
          PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
      kafka.publish(
          "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
      signals.add(signal);
    }
    return signals;
  }

  private static void awaitAudited(KafkaProbe kafka, List<CaseSignal> signals) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Long> perEvent =
                  kafka.audit().stream()
                      .collect(
                          Collectors.groupingBy(AuditRecord::getEventId, Collectors.counting()));
              for (CaseSignal signal : signals) {
                assertThat(perEvent.get(signal.getEventId()))
                    .as("audit records of %s", signal.getEventId())
                    .isEqualTo((long) PartnerEvents.UNDERMINING_RECIPIENTS);
              }
            });
  }

  @Test
  void chainsContinueAcrossRebalanceAndRestart(EmbeddedKafkaBroker broker) throws Exception {
    List<CaseSignal> all = new ArrayList<>();
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString())) {
      ConfigurableApplicationContext first = startHub(broker);
      List<CaseSignal> batch = publish(kafka, 10);
      awaitAudited(kafka, batch);
      all.addAll(batch);

      ConfigurableApplicationContext second = startHub(broker);
      batch = publish(kafka, 10);
      awaitAudited(kafka, batch);
      all.addAll(batch);

      first.close();
      batch = publish(kafka, 10);
      awaitAudited(kafka, batch);
      all.addAll(batch);
      second.close();

      ConfigurableApplicationContext restarted = startHub(broker);
      batch = publish(kafka, 10);
      awaitAudited(kafka, batch);
      all.addAll(batch);
      restarted.close();

      List<AuditRecord> audit = kafka.audit();
      Map<String, Long> perEvent =
          audit.stream()
              .collect(Collectors.groupingBy(AuditRecord::getEventId, Collectors.counting()));
      for (CaseSignal signal : all) {
        assertThat(perEvent.get(signal.getEventId()))
            .as("each event audited once per recipient")
            .isEqualTo((long) PartnerEvents.UNDERMINING_RECIPIENTS);
      }
      Map<String, List<AuditRecord>> chains = AuditChains.assertUnbroken(audit);
      assertThat(chains).as("one chain per outbox partition that carried events").isNotEmpty();
      // Every head the hubs published is signed by the hub's key, and the newest of each chain is
      // its last record.
      nl.covenanthub.audit.HeadSignatures.Verifier verifier =
          nl.covenanthub.audit.HeadSignatures.Verifier.of(
              List.of(nl.covenanthub.audit.HeadSignatures.DEMO_PUBLIC_KEY));
      for (var record : kafka.committed("hub.audit.chain")) {
        nl.covenanthub.audit.ChainHead head =
            nl.covenanthub.audit.ChainHead.fromByteBuffer(java.nio.ByteBuffer.wrap(record.value()));
        assertThat(
                verifier.verify(
                    head,
                    KafkaProbe.header(record, nl.covenanthub.audit.HeadSignatures.KEY_ID_HEADER),
                    record
                        .headers()
                        .lastHeader(nl.covenanthub.audit.HeadSignatures.SIGNATURE_HEADER)
                        .value()))
            .as("signature of head %s", head)
            .isTrue();
      }
    }
  }
}
