package nl.covenanthub.hub.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline: the least an exactly-once hub must do, in plain kafka-clients. Poll a batch
 * (read_committed), and in one transaction send each record's bytes unchanged to as many records as
 * the hub writes for that event (its inbox records and its audit records, to mirror topics of the
 * same partition count), then {@code sendOffsetsToTransaction} and {@code commitTransaction}.
 * Consumer and producer settings are the hub's: max.poll.records 500 (as in application.yaml), and
 * acks, linger.ms and batch.size as the running hub has them. One thread, like the hub's one
 * listener.
 */
final class Passthrough implements AutoCloseable {
  static final String OUTBOX = "bench.passthrough.outbox";
  static final String INBOX_A = "bench.passthrough.inbox-a";
  static final String INBOX_B = "bench.passthrough.inbox-b";
  static final String AUDIT = "bench.passthrough.audit";
  static final List<String> OUTPUTS = List.of(INBOX_A, INBOX_B, AUDIT);
  static final String THREAD = "bench-passthrough";

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param producerSettings the hub's acks, linger.ms and batch.size
   */
  Passthrough(String brokers, Map<String, Object> producerSettings) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-passthrough",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-passthrough"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    Map<String, Object> producerConfig = new HashMap<>(producerSettings);
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-passthrough-0");
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-passthrough");
    producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
    consumer.subscribe(List.of(OUTBOX));
    thread = new Thread(this::run, THREAD);
    thread.setDaemon(true);
    thread.start();
  }

  void check() {
    if (failure != null) {
      throw new IllegalStateException("the passthrough failed", failure);
    }
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          Header inboxes = record.headers().lastHeader(BenchEvents.INBOXES_HEADER);
          producer.send(
              new ProducerRecord<>(INBOX_A, null, record.key(), record.value(), record.headers()));
          if (inboxes != null && inboxes.value()[0] == '2') {
            producer.send(
                new ProducerRecord<>(
                    INBOX_B, null, record.key(), record.value(), record.headers()));
          }
          // The hub writes one audit record per recipient it decides on, two for either event here,
          // keyed by source partition.
          String chain = record.topic() + "-" + record.partition();
          producer.send(new ProducerRecord<>(AUDIT, null, chain, record.value(), record.headers()));
          producer.send(new ProducerRecord<>(AUDIT, null, chain, record.value(), record.headers()));
          offsets.put(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable e) {
      failure = e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
    producer.close(Duration.ofSeconds(2));
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
