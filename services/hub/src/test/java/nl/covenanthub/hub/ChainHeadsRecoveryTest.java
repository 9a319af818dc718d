package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A chain's head is found even when it is not beside its partition's committed offset (offsets
 * committed before heads were kept there, or metadata an operator reset): from the published heads,
 * and, when those are lost too, from the audit itself. Never a restart at genesis.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class ChainHeadsRecoveryTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Test
  void headsComeFromThePublishedHeadsAndThenFromTheAuditItself(EmbeddedKafkaBroker broker)
      throws Exception {
    List<CaseSignal> all = new ArrayList<>();
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString());
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
      ConfigurableApplicationContext hub = startHub(broker);
      all.addAll(publishAndAwait(kafka, 8));
      hub.close();

      stripHeadsFromCommittedOffsets(admin);
      hub = startHub(broker);
      all.addAll(publishAndAwait(kafka, 8));
      hub.close();

      stripHeadsFromCommittedOffsets(admin);
      admin.deleteTopics(List.of("hub.audit.chain")).all().get(30, TimeUnit.SECONDS);
      await()
          .atMost(WAIT)
          .until(() -> !admin.listTopics().names().get().contains("hub.audit.chain"));
      hub = startHub(broker); // recreates the heads topic, empty
      all.addAll(publishAndAwait(kafka, 8));
      hub.close();

      List<AuditRecord> audit = kafka.audit();
      Map<String, List<AuditRecord>> chains = AuditChains.assertUnbroken(audit);
      assertThat(chains.values().stream().mapToInt(List::size).sum())
          .as("an audit record per recipient (riec, lzn, odr) and event, none lost or doubled")
          .isEqualTo(PartnerEvents.UNDERMINING_RECIPIENTS * all.size());
    }
  }

  /** What offsets committed before chain heads were kept beside them look like. */
  private static void stripHeadsFromCommittedOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets("covenant-hub")
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> stripped =
        committed.entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
    assertThat(committed.values())
        .as("the hub commits heads beside its offsets")
        .anyMatch(o -> o.metadata().startsWith("chain-heads/1 "));
    admin.alterConsumerGroupOffsets("covenant-hub", stripped).all().get(30, TimeUnit.SECONDS);
  }

  private static ConfigurableApplicationContext startHub(EmbeddedKafkaBroker broker) {
    return new SpringApplicationBuilder(HubApplication.class)
        .run(
            "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "--hub.covenants=../../covenants",
            "--server.port=0",
            "--spring.kafka.consumer.properties.session.timeout.ms=10000");
  }

  private static List<CaseSignal> publishAndAwait(KafkaProbe kafka, int count) {
    List<CaseSignal> signals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CaseSignal signal =
          PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
      kafka.publish(
          "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
      signals.add(signal);
    }
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
                    .isEqualTo((long) PartnerEvents.UNDERMINING_RECIPIENTS);
              }
            });
    return signals;
  }
}
