package nl.covenanthub.hub;

import static nl.covenanthub.hub.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.covenants.CovenantFeed;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two hub instances switch covenant versions consistently (issue 12, point 4). While politie
 * signals stream over every partition of its outbox, v2 is published to both instances; then v3 is
 * published while instance B's covenant feed is held back, so only A decides under v3, and A stops:
 * its partitions move to B while B still has v2. The promise: every event is decided once per
 * recipient, disclosed once, under v1, v2 or v3 with that version's hash; within each outbox
 * partition no event is decided under an older version than an earlier event of that partition, so
 * B catches up on {@code hub.covenants} before it decides A's partitions; and what is sent once the
 * survivor has v3 in force is decided under v3.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class CovenantSwitchAcrossInstancesTest {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final String ID = "zorg-en-veiligheid-west-maas-en-waal";
  private static final String PURPOSE = "zorg-en-veiligheid";
  private static final Path FILE = Path.of("../../covenants/zorg-en-veiligheid.yaml");
  private static final int OUTBOX_PARTITIONS = 6;
  private static final int SENT_UNDER_THE_NEWEST = 60;

  @Test
  void twoInstancesSwitchConsistentlyAndAMovedPartitionNeverGoesBackToAnOlderVersion(
      EmbeddedKafkaBroker broker) throws Exception {
    String v1yaml = Files.readString(FILE);
    String v2yaml = version(v1yaml, 2);
    String v3yaml = version(v1yaml, 3);
    LoadedCovenant v1 = load(v1yaml);
    LoadedCovenant v2 = load(v2yaml);
    LoadedCovenant v3 = load(v3yaml);
    Map<Integer, String> hashes =
        Map.of(1, v1.contentHash(), 2, v2.contentHash(), 3, v3.contentHash());
    assertThat(Set.copyOf(hashes.values())).as("three distinct versions").hasSize(3);

    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString());
        Politie politie = new Politie(kafka);
        ConfigurableApplicationContext a = startHub(broker);
        ConfigurableApplicationContext b = startHub(broker)) {
      ActiveCovenants activeA = a.getBean(ActiveCovenants.class);
      ActiveCovenants activeB = b.getBean(ActiveCovenants.class);
      await().atMost(WAIT).pollInterval(POLL).until(() -> isProcessing(a) && isProcessing(b));
      List<String> recipients = activeB.current().recipients("politie", PURPOSE);
      assertThat(recipients).contains("lzn");

      politie.start();
      await().atMost(WAIT).pollInterval(POLL).until(() -> decisionsOf(a) > 0 && decisionsOf(b) > 0);

      // v2 while both run: both switch, and both go on deciding.
      publish(kafka, v2yaml, v2);
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> inForce(activeA, v2) && inForce(activeB, v2));
      double aAtV2 = decisionsOf(a);
      double bAtV2 = decisionsOf(b);
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> decisionsOf(a) > aAtV2 && decisionsOf(b) > bAtV2);

      // v3 while B's feed is held back (it applies hub.covenants under B's ActiveCovenants' lock):
      // what is decided under v3 now, A decided. Then A stops and B gets its partitions on v2.
      Set<Integer> decidedByAUnderV3;
      synchronized (activeB) {
        publish(kafka, v3yaml, v3);
        await().atMost(WAIT).pollInterval(POLL).until(() -> inForce(activeA, v3));
        await()
            .atMost(WAIT)
            .pollInterval(POLL)
            .until(
                () ->
                    decisionsOnTheOutbox(kafka).stream()
                        .anyMatch(r -> r.getCovenantVersion() == 3));
        decidedByAUnderV3 =
            decisionsOnTheOutbox(kafka).stream()
                .filter(r -> r.getCovenantVersion() == 3)
                .map(AuditRecord::getSourcePartition)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(inForce(activeB, v2) && !inForce(activeB, v3))
            .as("B's feed is held back on v2 (else this test does not test the catch-up)")
            .isTrue();
        a.close();
        // B owns A's partitions now, on v2. It must wait for v3 before it decides them; had it
        // not, its decisions there show up as a version going back (asserted below).
        await("B waits for hub.covenants, or decides A's partitions under v2")
            .atMost(WAIT)
            .pollInterval(POLL)
            .conditionEvaluationListener(
                new ConditionEvaluationListener<Boolean>() {
                  @Override
                  public void conditionEvaluated(EvaluatedCondition<Boolean> condition) {}

                  @Override
                  public void onTimeout(TimeoutEvent timeout) {
                    printConsumerThreads(); // what B's consumers do instead, for the report
                  }
                })
            .until(
                () ->
                    waitsForCatchUp("outbox-politie")
                        || aVersionGoingBack(decisionsOnTheOutbox(kafka)).isPresent());
        assertThat(inForce(activeB, v3)).as("B has A's partitions before it has v3").isFalse();
      }
      await().atMost(WAIT).pollInterval(POLL).until(() -> inForce(activeB, v3));
      int firstSentUnderV3 = politie.sent().size();
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> politie.sent().size() >= firstSentUnderV3 + SENT_UNDER_THE_NEWEST);
      politie.stop();
      List<CaseSignal> sent = politie.sent();
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(
              () ->
                  decisionsFor(decisionsOnTheOutbox(kafka), sent)
                      >= sent.size() * recipients.size());
      b.close(); // nothing commits any more: what is read now is final

      List<AuditRecord> audit = decisionsOnTheOutbox(kafka);
      Map<String, Integer> order = new HashMap<>();
      for (int i = 0; i < sent.size(); i++) {
        order.put(sent.get(i).getEventId(), i);
      }
      List<AuditRecord> decided =
          audit.stream().filter(r -> order.containsKey(r.getEventId())).toList();

      assertEveryEventDecidedOncePerRecipient(decided, sent, recipients);
      assertEveryDecisionNamesAPublishedVersion(decided, hashes);
      assertVersionsNeverGoBackWithinAPartition(decided);
      assertThat(decidedByAUnderV3)
          .as("partitions A decided under v3 before it stopped")
          .isNotEmpty();
      assertThat(decided)
          .as("B decided A's former partitions after the move")
          .anyMatch(
              r ->
                  decidedByAUnderV3.contains(r.getSourcePartition())
                      && order.get(r.getEventId()) >= firstSentUnderV3);
      List<AuditRecord> sentUnderV3 =
          decided.stream().filter(r -> order.get(r.getEventId()) >= firstSentUnderV3).toList();
      assertThat(sentUnderV3.size())
          .as("decisions of events sent once the survivor has v3 in force")
          .isEqualTo((sent.size() - firstSentUnderV3) * recipients.size())
          .isGreaterThanOrEqualTo(SENT_UNDER_THE_NEWEST * recipients.size());
      assertThat(sentUnderV3)
          .as("events sent once the survivor has v3 in force are decided under v3")
          .allSatisfy(r -> assertThat(r.getCovenantVersion()).isEqualTo(3));
      assertThat(decided)
          .extracting(AuditRecord::getCovenantVersion)
          .as("every version decided some events")
          .contains(1, 2, 3);
      assertEveryDisclosureToLznInItsInboxOnceUnderItsVersion(kafka, decided);
    }
  }

  private static void assertEveryEventDecidedOncePerRecipient(
      List<AuditRecord> decided, List<CaseSignal> sent, List<String> recipients) {
    Map<String, Long> perEventAndRecipient =
        decided.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.getEventId() + " to " + r.getRecipient(), Collectors.counting()));
    List<String> expected =
        sent.stream()
            .flatMap(s -> recipients.stream().map(to -> s.getEventId() + " to " + to))
            .toList();
    assertThat(perEventAndRecipient.keySet())
        .as("a decision for every sent event and recipient, and for nothing else")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(perEventAndRecipient)
        .as("each event decided once per recipient")
        .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
  }

  private static void assertEveryDecisionNamesAPublishedVersion(
      List<AuditRecord> decided, Map<Integer, String> hashes) {
    assertThat(decided)
        .allSatisfy(
            r -> {
              assertThat(r.getCovenantId()).isEqualTo(ID);
              assertThat(hashes).containsKey(r.getCovenantVersion());
              assertThat(r.getCovenantHash())
                  .as("hash of v%s", r.getCovenantVersion())
                  .isEqualTo(hashes.get(r.getCovenantVersion()));
            });
  }

  /** In offset order within each outbox partition: once decided under vN, never under an older. */
  private static void assertVersionsNeverGoBackWithinAPartition(List<AuditRecord> decided) {
    assertThat(decided.stream().map(AuditRecord::getSourcePartition).distinct().count())
        .as("events on every outbox partition")
        .isEqualTo(OUTBOX_PARTITIONS);
    assertThat(aVersionGoingBack(decided))
        .as("a decision under an older version than an earlier one of its partition")
        .isEmpty();
  }

  /** The first decision under an older version than one before it in its outbox partition. */
  /**
   * The decisions on politie's outbox: what this test is about (the matching's own checks, in their
   * own chain, follow the events later and in one order of their own).
   */
  private static List<AuditRecord> decisionsOnTheOutbox(KafkaProbe kafka) {
    return kafka.audit().stream()
        .filter(r -> "partner.politie.outbox".equals(r.getSourceTopic()))
        .toList();
  }

  private static Optional<String> aVersionGoingBack(List<AuditRecord> decided) {
    Map<Integer, List<AuditRecord>> byPartition =
        decided.stream().collect(Collectors.groupingBy(AuditRecord::getSourcePartition));
    for (Map.Entry<Integer, List<AuditRecord>> partition : byPartition.entrySet()) {
      List<AuditRecord> inOrder =
          partition.getValue().stream()
              .sorted(Comparator.comparingLong(AuditRecord::getSourceOffset))
              .toList();
      for (int i = 1; i < inOrder.size(); i++) {
        AuditRecord before = inOrder.get(i - 1);
        AuditRecord after = inOrder.get(i);
        if (after.getCovenantVersion() < before.getCovenantVersion()) {
          return Optional.of(
              String.format(
                  "partition %s: offset %s decided under v%s after offset %s under v%s",
                  partition.getKey(),
                  after.getSourceOffset(),
                  after.getCovenantVersion(),
                  before.getSourceOffset(),
                  before.getCovenantVersion()));
        }
      }
    }
    return Optional.empty();
  }

  /** No disclosure without its decision: lzn's inbox holds each disclosure once, as audited. */
  private static void assertEveryDisclosureToLznInItsInboxOnceUnderItsVersion(
      KafkaProbe kafka, List<AuditRecord> decided) {
    Map<String, AuditRecord> disclosedToLzn =
        decided.stream()
            .filter(r -> "lzn".equals(String.valueOf(r.getRecipient())))
            .filter(r -> r.getDecision() == AuditDecision.DISCLOSED)
            .collect(Collectors.toMap(r -> r.getDisclosureId(), Function.identity()));
    List<ConsumerRecord<String, byte[]>> inbox =
        kafka.committed("partner.lzn.inbox").stream()
            .filter(r -> disclosedToLzn.containsKey(header(r, "disclosure-id")))
            .toList();
    assertThat(inbox.stream().map(r -> header(r, "disclosure-id")).toList())
        .as("each disclosure to lzn in its inbox once")
        .containsExactlyInAnyOrderElementsOf(disclosedToLzn.keySet());
    assertThat(inbox)
        .allSatisfy(
            r -> {
              AuditRecord audited = disclosedToLzn.get(header(r, "disclosure-id"));
              assertThat(header(r, "covenant-version"))
                  .isEqualTo(String.valueOf(audited.getCovenantVersion()));
              assertThat(header(r, "covenant-hash")).isEqualTo(audited.getCovenantHash());
            });
  }

  private static ConfigurableApplicationContext startHub(EmbeddedKafkaBroker broker) {
    return new SpringApplicationBuilder(HubApplication.class)
        .run(
            "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "--hub.covenants=../../covenants",
            "--hub.topic-partitions=" + OUTBOX_PARTITIONS,
            "--server.port=0",
            "--spring.kafka.consumer.properties.session.timeout.ms=10000",
            // A rebalance waits this long for every member to rejoin. While A shuts down, one
            // of its consumers can be busy (a batch, a callback) and neither rejoin nor leave:
            // with the default of 5 minutes, B could not get A's partitions within WAIT.
            "--spring.kafka.consumer.properties.max.poll.interval.ms=60000");
  }

  /** Every partner container runs and has its share of partitions. */
  private static boolean isProcessing(ConfigurableApplicationContext hub) {
    return hub.getBean("outbox", HealthIndicator.class).health().getStatus().equals(Status.UP);
  }

  /** The politie decisions this instance committed. */
  private static double decisionsOf(ConfigurableApplicationContext hub) {
    return hub
        .getBean(MeterRegistry.class)
        .find("hub.disclosures")
        .tag("sender", "politie")
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static boolean inForce(ActiveCovenants active, LoadedCovenant version) {
    return active.current().covenants().contains(version.ref());
  }

  /** A consumer thread of this name waits in its rebalance listener for hub.covenants. */
  private static boolean waitsForCatchUp(String threadName) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().contains(threadName))
        .anyMatch(
            e ->
                Arrays.stream(e.getValue())
                    .anyMatch(
                        f ->
                            f.getClassName().equals(CovenantFeed.class.getName())
                                && f.getMethodName().equals("catchUp")));
  }

  /** The stacks of every consumer thread in this JVM: why a rebalance did not come. */
  private static void printConsumerThreads() {
    Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().contains("-C-"))
        .forEach(
            e -> {
              System.out.println("Consumer thread " + e.getKey().getName());
              Arrays.stream(e.getValue()).limit(25).forEach(f -> System.out.println("    at " + f));
            });
  }

  private static long decisionsFor(List<AuditRecord> audit, List<CaseSignal> sent) {
    Set<String> ids = sent.stream().map(CaseSignal::getEventId).collect(Collectors.toSet());
    return audit.stream().filter(r -> ids.contains(r.getEventId())).count();
  }

  /** Version n: v1 with another version number and title, so each has its own hash. */
  private static String version(String v1, int n) {
    assertThat(v1).contains("version: 1\n");
    return v1.replace("version: 1\n", "version: " + n + "\n")
        .replaceFirst("title: ([^\n]*)", "title: $1 (v" + n + ")");
  }

  private static LoadedCovenant load(String yaml) throws Exception {
    return CovenantLoader.load("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** What the console does: the YAML as value, its version and canonical hash as headers. */
  private static void publish(KafkaProbe kafka, String yaml, LoadedCovenant loaded) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(CovenantFeed.TOPIC, ID, yaml.getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(
            ActiveCovenants.VERSION_HEADER,
            Integer.toString(loaded.version()).getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(ActiveCovenants.HASH_HEADER, loaded.contentHash().getBytes(StandardCharsets.UTF_8));
    kafka.publish(record);
  }

  /**
   * The police's system: a steady stream of signals, each on a new case, so over all partitions.
   */
  private static final class Politie implements AutoCloseable {
    private final KafkaProbe kafka;
    private final List<CaseSignal> sent = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean sending = true;

    Politie(KafkaProbe kafka) {
      this.kafka = kafka;
      this.thread = new Thread(this::send, "politie");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void send() {
      while (sending) {
        CaseSignal signal =
            PartnerEvents.signal("politie", PURPOSE, Concern.VERWARD_GEDRAG).build();
        kafka.publish(
            "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
        sent.add(signal);
        try {
          TimeUnit.MILLISECONDS.sleep(25); // a pace, not a deadline: spreads events over time
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** What was sent so far, in the order sent. */
    List<CaseSignal> sent() {
      return new ArrayList<>(sent);
    }

    void stop() throws InterruptedException {
      sending = false;
      thread.join();
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
