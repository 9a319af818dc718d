package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The audit chains cannot fork, not even with a zombie: a hub that stalls with a transaction open
 * (records, heads and offsets sent, the commit not yet done), is thrown out of the group while
 * another hub takes over, and then resumes. Meanwhile the stalled hub's other partners go on
 * committing, behind the open transaction. Every chain must stay gap-free, every sequence unique,
 * every event audited once per recipient.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class ChainForkTest {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String STALL = "CASE-STALL";
  private static final CountDownLatch resume = new CountDownLatch(1);
  private static final CountDownLatch stalled = new CountDownLatch(1);

  private static ConfigurableApplicationContext startHub(
      EmbeddedKafkaBroker broker, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--hub.covenants=../../covenants",
                "--server.port=0",
                "--spring.kafka.consumer.properties.session.timeout.ms=10000"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(HubApplication.class).run(args.toArray(String[]::new));
  }

  /** The stalled hub: its transaction holding the STALL event waits, just before its commit. */
  private static void stallBeforeCommit(ConfigurableApplicationContext hub) throws Exception {
    AdviceWith.adviceWith(
        hub.getBean(CamelContext.class),
        "outbox",
        route ->
            route
                .weaveById("audit")
                .after()
                .process(
                    exchange -> {
                      DecidedEvent decided = exchange.getIn().getBody(DecidedEvent.class);
                      if (STALL.equals(decided.incoming().caseReference())) {
                        TransactionSynchronizationManager.registerSynchronization(
                            new TransactionSynchronization() {
                              @Override
                              public void beforeCommit(boolean readOnly) {
                                stalled.countDown();
                                try {
                                  resume.await();
                                } catch (InterruptedException e) {
                                  Thread.currentThread().interrupt();
                                }
                              }
                            });
                      }
                    }));
  }

  private static List<CaseSignal> publish(
      KafkaProbe kafka, String sender, String purpose, Concern concern, int count) {
    List<CaseSignal> signals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CaseSignal signal = PartnerEvents.signal(sender, purpose, concern).build();
      kafka.publish(
          "partner." + sender + ".outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
      signals.add(signal);
    }
    return signals;
  }

  @Test
  void aZombieThatResumesAfterItsPartitionsMovedForksNoChain(EmbeddedKafkaBroker broker)
      throws Exception {
    List<CaseSignal> all = new ArrayList<>();
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString())) {
      // Thrown out of the group once it has not polled for 20 s.
      ConfigurableApplicationContext zombie =
          startHub(broker, "--spring.kafka.consumer.properties.max.poll.interval.ms=20000");
      stallBeforeCommit(zombie);
      List<CaseSignal> warmUp =
          publish(kafka, "lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD, 6);
      awaitAudited(kafka, warmUp);
      all.addAll(warmUp);

      CaseSignal stall =
          PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT)
              .setCaseReference(STALL)
              .build();
      kafka.publish("partner.politie.outbox", STALL, PartnerEvents.bytes(stall));
      all.add(stall);
      await().atMost(WAIT).until(() -> stalled.getCount() == 0);
      // The zombie's other partner commits behind the open transaction.
      List<CaseSignal> behind =
          publish(kafka, "lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD, 6);
      all.addAll(behind);
      awaitAudited(kafka, behind);

      ConfigurableApplicationContext successor = startHub(broker);
      List<CaseSignal> afterTakeOver =
          publish(kafka, "lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD, 12);
      all.addAll(afterTakeOver);
      awaitAudited(kafka, afterTakeOver);

      resume.countDown();
      List<CaseSignal> politie =
          publish(kafka, "politie", "aanpak-ondermijning", Concern.HENNEPTEELT, 6);
      all.addAll(politie);
      awaitAudited(kafka, all);
      successor.close();
      zombie.close();

      List<AuditRecord> audit = kafka.audit();
      Map<String, Long> perEventAndRecipient =
          audit.stream()
              .collect(
                  Collectors.groupingBy(
                      a -> a.getEventId() + "/" + a.getRecipient(), Collectors.counting()));
      assertThat(perEventAndRecipient.values())
          .as("each event audited once per recipient")
          .allMatch(count -> count == 1L);
      Map<String, List<AuditRecord>> chains = AuditChains.assertUnbroken(audit);
      assertThat(chains.keySet())
          .as("chains of both partners")
          .anyMatch(c -> c.startsWith("partner.lzn.outbox-"))
          .anyMatch(c -> c.startsWith("partner.politie.outbox-"));
    }
  }

  private static void awaitAudited(KafkaProbe kafka, List<CaseSignal> signals) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<String> audited = kafka.audit().stream().map(AuditRecord::getEventId).toList();
              for (CaseSignal signal : signals) {
                assertThat(audited)
                    .as("audited: %s", signal.getCaseReference())
                    .contains(signal.getEventId());
              }
            });
  }
}
