package nl.covenanthub.hub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.covenanthub.hub.lifecycle.IndexFacts.Disclosure;
import nl.covenanthub.hub.lifecycle.IndexFacts.Notice;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * How an instance's follower of {@value DisclosureIndex#TOPIC} meets what other instances write: an
 * instance forgets a disclosure when the acknowledgement it wrote commits, possibly before its own
 * follower has read that disclosure, and the follower must not bring it back when it gets there;
 * and an instance given partitions knows what their previous owner committed, also behind a
 * transaction a killed instance left open.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      // The broker looks for expired transactions every second (Kafka's default is 10 s).
      "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000"
    })
class DisclosureIndexFollowerTest {
  private String servers;
  private DefaultKafkaProducerFactory<String, byte[]> producers;
  private KafkaTemplate<String, byte[]> kafka;
  private DefaultKafkaConsumerFactory<String, byte[]> consumers;
  private KafkaAdmin admin;
  private final String caseKey = "case-" + UUID.randomUUID();
  private final String subject = "subject-" + UUID.randomUUID();
  private final Disclosure disclosure =
      new Disclosure(
          UUID.randomUUID().toString(),
          caseKey,
          "politie",
          "PL-1",
          subject,
          "veilig-thuis",
          "huiselijk-geweld",
          "huiselijk-geweld",
          1,
          "hash",
          "PL-1",
          0L,
          null);

  @BeforeEach
  void clients(EmbeddedKafkaBroker broker) {
    servers = broker.getBrokersAsString();
    producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    producers.setTransactionIdPrefix("index-test-");
    kafka = new KafkaTemplate<>(producers);
    consumers =
        new DefaultKafkaConsumerFactory<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    admin = new KafkaAdmin(Map.of("bootstrap.servers", servers));
  }

  @AfterEach
  void close() {
    producers.destroy();
  }

  @Test
  void whatThePreviousOwnerCommittedBehindAKilledInstancesTransactionIsKnownAfterCatchUp() {
    // The instance that gets the partitions back; it read the index when it started.
    DisclosureIndex restarted = new DisclosureIndex(kafka, consumers, admin);
    restarted.start();
    // The instance that took its partitions over disclosed a case of one of them meanwhile.
    try (KafkaProducer<String, byte[]> killed = behindAKilledInstancesBatch(disclosure)) {
      restarted.catchUp(); // before it works on the partitions
      assertThat(restarted.disclosuresOf(caseKey))
          .as("what the previous owner committed behind the open transaction")
          .containsExactly(disclosure);
    } finally {
      restarted.stop();
    }
  }

  @Test
  void aNoticeAnotherInstanceSentBehindAKilledInstancesTransactionIsFoundForItsAcknowledgement() {
    DisclosureIndex acknowledging = new DisclosureIndex(kafka, consumers, admin);
    acknowledging.start();
    Notice notice =
        new Notice(
            "notice-" + UUID.randomUUID(),
            caseKey,
            "politie",
            "PL-1",
            subject,
            "veilig-thuis",
            "WITHDRAWN",
            "huiselijk-geweld",
            "huiselijk-geweld",
            1,
            "hash",
            List.of(disclosure.disclosureId()),
            0L,
            1L);
    try (KafkaProducer<String, byte[]> killed = behindAKilledInstancesBatch(notice)) {
      // The recipient's acknowledgement, first in its batch: nothing of this transaction on the
      // index yet.
      assertThat(acknowledging.notice(notice.noticeId()))
          .as("the notice committed behind the open transaction")
          .contains(notice);
    } finally {
      acknowledging.stop();
    }
  }

  @Test
  void aDisclosureForgottenAheadOfTheFollowerStaysForgotten() {
    // Not started: its follower reads nothing after the constructor until the test says so.
    DisclosureIndex index = new DisclosureIndex(kafka, consumers, admin);
    try (KafkaProducer<String, byte[]> other =
        hangingTransactionOn(servers, Duration.ofMinutes(5))) {
      inTransaction(kafka, () -> index.record(disclosure));
      index.afterCommit();
      assertThat(index.disclosuresOf(caseKey)).containsExactly(disclosure);

      // Another writer's open transaction holds the follower between the disclosure and its
      // tombstone, which is written next.
      other.send(
          new ProducerRecord<>(DisclosureIndex.TOPIC, 0, "ack/other", new byte[] {'{', '}'}));
      other.flush();
      inTransaction(kafka, () -> index.forget(List.of(disclosure.disclosureId())));
      index.afterCommit();
      assertThat(index.disclosuresOf(caseKey)).isEmpty();

      index.start();
      index.catchUpCommitted(); // what committed before the open transaction: the disclosure
      assertThat(index.disclosuresOf(caseKey)).as("read, and still forgotten").isEmpty();
      assertThat(index.casesOf("politie", subject)).isEmpty();

      other.abortTransaction();
      index.catchUp(); // now past the tombstone
      assertThat(index.disclosuresOf(caseKey)).isEmpty();
    } finally {
      index.stop();
    }
  }

  /**
   * A killed instance's last batch on the index, open until the broker aborts it 10 s on, and
   * behind it {@code fact}, committed by another instance. Returns the killed one's producer.
   */
  private KafkaProducer<String, byte[]> behindAKilledInstancesBatch(Object fact) {
    KafkaProducer<String, byte[]> killed = hangingTransactionOn(servers, Duration.ofSeconds(10));
    killed.send(
        new ProducerRecord<>(DisclosureIndex.TOPIC, 0, "ack/killed", new byte[] {'{', '}'}));
    killed.flush();
    DisclosureIndex other = new DisclosureIndex(kafka, consumers, admin);
    try {
      inTransaction(kafka, () -> other.record(fact));
      other.afterCommit();
    } finally {
      other.stop();
    }
    return killed;
  }

  /** A producer of another instance, in a transaction the broker aborts after {@code timeout}. */
  private static KafkaProducer<String, byte[]> hangingTransactionOn(
      String servers, Duration timeout) {
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "another-instance-" + UUID.randomUUID(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) timeout.toMillis(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    producer.initTransactions();
    producer.beginTransaction();
    return producer;
  }

  private static void inTransaction(KafkaTemplate<String, byte[]> kafka, Runnable work) {
    kafka.executeInTransaction(
        operations -> {
          work.run();
          return null;
        });
  }
}
