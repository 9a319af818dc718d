package nl.covenanthub.hub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.covenanthub.hub.lifecycle.IndexFacts.Disclosure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * An instance forgets a disclosure when the acknowledgement it wrote commits, possibly before its
 * own follower of {@value DisclosureIndex#TOPIC} has read that disclosure: the follower must not
 * bring it back when it gets there.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class DisclosureIndexFollowerTest {

  @Test
  void aDisclosureForgottenAheadOfTheFollowerStaysForgotten(EmbeddedKafkaBroker broker) {
    String servers = broker.getBrokersAsString();
    DefaultKafkaProducerFactory<String, byte[]> producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    producers.setTransactionIdPrefix("index-test-");
    KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(producers);
    DefaultKafkaConsumerFactory<String, byte[]> consumers =
        new DefaultKafkaConsumerFactory<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    KafkaAdmin admin = new KafkaAdmin(Map.of("bootstrap.servers", servers));
    // Not started: its follower reads nothing after the constructor until the test says so.
    DisclosureIndex index = new DisclosureIndex(kafka, consumers, admin);
    String caseKey = "case-" + UUID.randomUUID();
    Disclosure disclosure =
        new Disclosure(
            UUID.randomUUID().toString(),
            caseKey,
            "politie",
            "PL-1",
            "subject-pseudonym",
            "veilig-thuis",
            "huiselijk-geweld",
            "huiselijk-geweld",
            1,
            "hash",
            "PL-1",
            0L,
            null);
    try (KafkaProducer<String, byte[]> other = hangingTransactionOn(servers)) {
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
      index.catchUp(); // read what committed before the open transaction: the disclosure itself
      assertThat(index.disclosuresOf(caseKey)).as("read, and still forgotten").isEmpty();
      assertThat(index.casesOf("politie", "subject-pseudonym")).isEmpty();

      other.abortTransaction();
      index.catchUp(); // now past the tombstone
      assertThat(index.disclosuresOf(caseKey)).isEmpty();
    } finally {
      index.stop();
      producers.destroy();
    }
  }

  private static KafkaProducer<String, byte[]> hangingTransactionOn(String servers) {
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "another-instance",
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
