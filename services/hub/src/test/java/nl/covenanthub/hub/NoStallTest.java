package nl.covenanthub.hub;

import static nl.covenanthub.hub.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.disclosure.OutboxContainers;
import nl.covenanthub.hub.intake.IncomingEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * No record can stall the hub, and one partner cannot hold up another: a record near the broker's
 * limit, a record whose processing always fails, and a partner whose processing hangs.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "server.port=0",
      // Named, so that this test's advised route and broker are a context of their own.
      "hub.max-attempts=3",
      // The default, against the suite's one (pom.xml): a partner's partitions on threads of their
      // own.
      "hub.outbox-threads=3"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
@ExtendWith(OutputCaptureExtension.class)
class NoStallTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  /**
   * Processing an event with this case reference always throws: a bug, or what the core chokes on.
   */
  private static final String POISON = "CASE-POISON";

  /** A value the poison's exception quotes, as Avro's exceptions quote data: never to be logged. */
  private static final String QUOTED_VALUE = "quoted-partner-value-7f3a";

  /** Processing an event with this case reference hangs until released: a stuck partner. */
  private static final String HANG = "CASE-HANG";

  /** Processing an event with this case reference hangs until released, on its partition only. */
  private static final String HANG_ONE_PARTITION = "CASE-HANG-ONE-PARTITION";

  private static final AtomicInteger poisonAttempts = new AtomicInteger();

  /** Per hanging case reference, what releases it. */
  private static final Map<String, CountDownLatch> hangs =
      Map.of(HANG, new CountDownLatch(1), HANG_ONE_PARTITION, new CountDownLatch(1));

  private static KafkaProbe kafka;

  @Autowired MeterRegistry metrics;
  @Autowired OutboxContainers outboxes;

  /**
   * Every outbox's container in the group before a test sends: a rebalance while a record keeps
   * failing starts its count again (its partition may have been another hub's meanwhile), so a
   * container that joins late would add an attempt.
   */
  @BeforeEach
  void everyOutboxIsProcessing() {
    await().atMost(WAIT).until(() -> outboxes.health().getStatus().equals(Status.UP));
  }

  @BeforeAll
  static void adviseTheRoute(@Autowired CamelContext camel, @Autowired EmbeddedKafkaBroker broker)
      throws Exception {
    kafka = new KafkaProbe(broker.getBrokersAsString());
    AdviceWith.adviceWith(
        camel,
        "outbox",
        route ->
            route
                .weaveById("decide")
                .before()
                .process(
                    exchange -> {
                      IncomingEvent in = exchange.getIn().getBody(IncomingEvent.class);
                      if (POISON.equals(in.caseReference())) {
                        poisonAttempts.incrementAndGet();
                        throw new IllegalArgumentException("cannot handle " + QUOTED_VALUE);
                      }
                      CountDownLatch hang = hangs.get(in.caseReference());
                      if (hang != null) {
                        hang.await();
                      }
                    }));
  }

  @AfterAll
  static void close() {
    hangs.values().forEach(CountDownLatch::countDown);
    kafka.close();
  }

  @Test
  void aRecordJustUnderTheBrokersLimitIsDeadLetteredAsAnEnvelopeAndEveryoneGoesOn() {
    CaseSignal hostile =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            "partner.politie.outbox", hostile.getCaseReference(), PartnerEvents.bytes(hostile));
    // A valid event with headers that take it to just under the broker's 1 MB.
    for (int i = 0; i < 10; i++) {
      record.headers().add("padding-" + i, new byte[100_000]);
    }
    kafka.publish(record);
    CaseSignal nextFromPolitie =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    kafka.publish(
        "partner.politie.outbox", hostile.getCaseReference(), PartnerEvents.bytes(nextFromPolitie));
    CaseSignal fromVeiligThuis =
        PartnerEvents.signal("veilig-thuis", "huiselijk-geweld", Concern.HUISELIJK_GEWELD).build();
    kafka.publish(
        "partner.veilig-thuis.outbox",
        fromVeiligThuis.getCaseReference(),
        PartnerEvents.bytes(fromVeiligThuis));

    await()
        .atMost(WAIT)
        .until(
            () ->
                audited(nextFromPolitie).size() == PartnerEvents.UNDERMINING_RECIPIENTS
                    && !audited(fromVeiligThuis).isEmpty());
    ConsumerRecord<String, byte[]> dead = deadLetter("politie", "OVERSIZE");
    assertThat(header(dead, "deadletter-reason")).isEqualTo("OVERSIZE");
    assertThat(header(dead, "deadletter-original-copied")).isEqualTo("false");
    assertThat(Long.parseLong(header(dead, "deadletter-original-size"))).isGreaterThan(1_000_000);
    assertThat(header(dead, "deadletter-original-sha256")).hasSize(64);
    assertThat(dead.value()).as("the envelope holds no payload").isNull();
    assertThat(dead.headers().lastHeader("padding-0")).as("nor its headers").isNull();
  }

  @Test
  void aRecordThatAlwaysFailsIsDeadLetteredAfterItsAttemptsAndTheRestOfItsPartitionGoesOn(
      CapturedOutput output) {
    CaseSignal poison =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG)
            .setCaseReference(POISON)
            .build();
    CaseSignal after =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    // One key: the same partition, the poison first.
    kafka.publish("partner.politie.outbox", "one-key", PartnerEvents.bytes(poison));
    kafka.publish("partner.politie.outbox", "one-key", PartnerEvents.bytes(after));

    await().atMost(WAIT).until(() -> !audited(after).isEmpty());
    assertThat(poisonAttempts.get()).as("attempts (hub.max-attempts)").isEqualTo(3);
    AuditRecord rejected = audited(poison).get(0);
    assertThat(audited(poison)).as("audited once").hasSize(1);
    assertThat(rejected.getDecision()).isEqualTo(AuditDecision.REJECTED);
    assertThat(rejected.getReason()).isEqualTo("PROCESSING_FAILED");
    assertThat(rejected.getDetail())
        .isEqualTo("processing failed 3 times (java.lang.IllegalArgumentException)");
    ConsumerRecord<String, byte[]> dead = deadLetter("politie", "PROCESSING_FAILED");
    assertThat(header(dead, "deadletter-reason")).isEqualTo("PROCESSING_FAILED");
    assertThat(dead.value())
        .as("a small record is kept whole")
        .isEqualTo(PartnerEvents.bytes(poison));
    assertThat(metrics.get("hub.deadletters").tag("reason", "PROCESSING_FAILED").counter().count())
        .as("counted once, when its transaction committed")
        .isEqualTo(1.0);
    assertThat(output.getAll())
        .as("the log says what failed, where and how often")
        .contains("failed (java.lang.IllegalArgumentException), attempt 3 of 3")
        .doesNotContain(QUOTED_VALUE);
  }

  @Test
  void aPartnerWhoseProcessingHangsHoldsUpOnlyItself() {
    CaseSignal hanging = hangingSignal(HANG);
    kafka.publish("partner.politie.outbox", HANG, PartnerEvents.bytes(hanging));
    CaseSignal fromVeiligThuis =
        PartnerEvents.signal("veilig-thuis", "huiselijk-geweld", Concern.HUISELIJK_GEWELD).build();
    kafka.publish(
        "partner.veilig-thuis.outbox",
        fromVeiligThuis.getCaseReference(),
        PartnerEvents.bytes(fromVeiligThuis));

    goesOnWhileItHangs(fromVeiligThuis, hanging);
  }

  /**
   * A partner's outbox is read by hub.outbox-threads consumers (3), one per partition here: an
   * event whose processing hangs holds up only its own partition, and the partner's other
   * partitions go on.
   */
  @Test
  void aHangingEventHoldsUpOnlyItsOwnPartitionOfThePartnersOutbox() {
    CaseSignal hanging = hangingSignal(HANG_ONE_PARTITION);
    kafka.publish(
        new ProducerRecord<>(
            "partner.politie.outbox", 0, HANG_ONE_PARTITION, PartnerEvents.bytes(hanging)));
    CaseSignal samePartnerOtherPartition =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    kafka.publish(
        new ProducerRecord<>(
            "partner.politie.outbox",
            1,
            samePartnerOtherPartition.getCaseReference(),
            PartnerEvents.bytes(samePartnerOtherPartition)));

    goesOnWhileItHangs(samePartnerOtherPartition, hanging);
  }

  /**
   * {@code other} is decided while {@code hanging} is not; once released, {@code hanging} is
   * decided for every recipient of the undermining covenant.
   */
  private static void goesOnWhileItHangs(CaseSignal other, CaseSignal hanging) {
    await().atMost(WAIT).until(() -> !audited(other).isEmpty());
    assertThat(audited(hanging)).as("the stuck event, meanwhile").isEmpty();

    hangs.get(hanging.getCaseReference()).countDown();
    await()
        .atMost(WAIT)
        .until(() -> audited(hanging).size() == PartnerEvents.UNDERMINING_RECIPIENTS);
  }

  /** A police signal under the undermining covenant whose processing hangs until released. */
  private static CaseSignal hangingSignal(String caseReference) {
    return PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT)
        .setCaseReference(caseReference)
        .build();
  }

  private static List<AuditRecord> audited(CaseSignal signal) {
    return kafka.audit().stream().filter(a -> signal.getEventId().equals(a.getEventId())).toList();
  }

  /** The dead letter of the one REJECTED audit record with {@code reason} from {@code sender}. */
  private static ConsumerRecord<String, byte[]> deadLetter(String sender, String reason) {
    AuditRecord rejected =
        kafka.audit().stream()
            .filter(a -> a.getDecision() == AuditDecision.REJECTED)
            .filter(a -> sender.equals(a.getSender()) && reason.equals(a.getReason()))
            .reduce((first, second) -> second)
            .orElseThrow();
    return kafka.committed("hub.deadletter").stream()
        .filter(r -> rejected.getSourceTopic().equals(header(r, "deadletter-source-topic")))
        .filter(
            r ->
                String.valueOf(rejected.getSourcePartition())
                    .equals(header(r, "deadletter-source-partition")))
        .filter(
            r ->
                String.valueOf(rejected.getSourceOffset())
                    .equals(header(r, "deadletter-source-offset")))
        .findFirst()
        .orElseThrow();
  }
}
