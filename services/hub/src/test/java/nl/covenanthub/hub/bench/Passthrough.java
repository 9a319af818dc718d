package nl.covenanthub.hub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
 * acks, linger.ms and batch.size as the running hub has them. As many loops (consumer, thread and
 * transactional producer, in one group) as the hub has threads per outbox ({@code
 * hub.outbox-threads}), unless {@code bench.passthrough-threads} says otherwise.
 *
 * <p>Like the hub since issue 14, it also writes one index fact per inbox record and, for an event
 * the matching takes (a BSN under zorg-en-veiligheid), one match candidate, each the size of the
 * hub's JSON (the first {@value #FACT_BYTES} or {@value #CANDIDATE_BYTES} bytes of the event); and
 * a second thread reads the candidates back (read_committed) and writes one audit record per
 * candidate in a transaction of its own, as the hub's matching does.
 */
final class Passthrough implements AutoCloseable {
  static final String OUTBOX = "bench.passthrough.outbox";
  static final String INBOX_A = "bench.passthrough.inbox-a";
  static final String INBOX_B = "bench.passthrough.inbox-b";
  static final String AUDIT = "bench.passthrough.audit";
  static final List<String> OUTPUTS = List.of(INBOX_A, INBOX_B, AUDIT);
  static final String INDEX = "bench.passthrough.index";
  static final String MATCHING = "bench.passthrough.matching";
  static final String THREAD = "bench-passthrough";

  /** About the size of the hub's disclosure fact and match candidate (JSON, 13 and 18 fields). */
  static final int FACT_BYTES = 550;

  static final int CANDIDATE_BYTES = 600;

  /** The key of the audit records of the second pass: a chain of the hub's own, as the hub's. */
  static final String MATCHING_CHAIN = "hub.matching-0";

  private final List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
  private final List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final KafkaConsumer<String, byte[]> candidates;
  private final KafkaProducer<String, byte[]> checks;
  private final Thread matching;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param producerSettings the hub's acks, linger.ms and batch.size
   * @param loops how many consumers in the group, each with its thread and transactional producer
   *     (the hub's {@code hub.outbox-threads})
   */
  Passthrough(String brokers, Map<String, Object> producerSettings, int loops) {
    for (int i = 0; i < loops; i++) {
      KafkaConsumer<String, byte[]> consumer =
          consumer(brokers, "bench-passthrough", "bench-passthrough-" + i, OUTBOX);
      KafkaProducer<String, byte[]> producer =
          producer(brokers, producerSettings, "bench-passthrough-" + i);
      Thread thread =
          new Thread(
              () -> consumeTransactionally(consumer, producer, r -> mirror(producer, r)),
              THREAD + (i == 0 ? "" : "-" + i));
      thread.setDaemon(true);
      consumers.add(consumer);
      producers.add(producer);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    candidates =
        consumer(brokers, "bench-passthrough-matching", "bench-passthrough-matching", MATCHING);
    checks = producer(brokers, producerSettings, "bench-passthrough-matching");
    matching = new Thread(this::checkCandidates, THREAD + "-matching");
    matching.setDaemon(true);
    matching.start();
  }

  private static KafkaConsumer<String, byte[]> consumer(
      String brokers, String group, String id, String topic) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                500,
                ConsumerConfig.CLIENT_ID_CONFIG,
                id),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private static KafkaProducer<String, byte[]> producer(
      String brokers, Map<String, Object> settings, String id) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id + "-0");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, id);
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  void check() {
    if (failure != null) {
      throw new IllegalStateException("the passthrough failed", failure);
    }
  }

  /** What the hub writes for one outbox record, as the same bytes. */
  private static void mirror(
      KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> record) {
    Header inboxes = record.headers().lastHeader(BenchEvents.INBOXES_HEADER);
    boolean twoInboxes = inboxes != null && inboxes.value()[0] == '2';
    producer.send(
        new ProducerRecord<>(INBOX_A, null, record.key(), record.value(), record.headers()));
    producer.send(new ProducerRecord<>(INDEX, 0, record.key(), prefix(record, FACT_BYTES)));
    if (twoInboxes) {
      producer.send(
          new ProducerRecord<>(INBOX_B, null, record.key(), record.value(), record.headers()));
      producer.send(new ProducerRecord<>(INDEX, 0, record.key(), prefix(record, FACT_BYTES)));
    } else {
      // The one-inbox events are the zorg-en-veiligheid ones, which the matching takes.
      producer.send(
          new ProducerRecord<>(MATCHING, 0, record.key(), prefix(record, CANDIDATE_BYTES)));
    }
    // The hub writes one audit record per recipient it decides on, keyed by source partition: two
    // for a zorg-en-veiligheid event (lzn, veilig-thuis), three for an undermining one (riec, lzn,
    // odr).
    String chain = record.topic() + "-" + record.partition();
    int audited = twoInboxes ? 3 : 2;
    for (int i = 0; i < audited; i++) {
      producer.send(new ProducerRecord<>(AUDIT, null, chain, record.value(), record.headers()));
    }
  }

  /** The matching's second pass: read the candidates back and audit a check of each. */
  private void checkCandidates() {
    consumeTransactionally(
        candidates,
        checks,
        record -> checks.send(new ProducerRecord<>(AUDIT, null, MATCHING_CHAIN, record.value())));
  }

  /**
   * Polls until closed; per polled batch, one transaction with what {@code perRecord} sends and the
   * batch's offsets.
   */
  private void consumeTransactionally(
      KafkaConsumer<String, byte[]> from,
      KafkaProducer<String, byte[]> to,
      Consumer<ConsumerRecord<String, byte[]>> perRecord) {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = from.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        to.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          perRecord.accept(record);
          offsets.put(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
        }
        to.sendOffsetsToTransaction(offsets, from.groupMetadata());
        to.commitTransaction();
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable e) {
      failure = e;
    }
  }

  private static byte[] prefix(ConsumerRecord<String, byte[]> record, int length) {
    return Arrays.copyOf(record.value(), Math.min(length, record.value().length));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumers.forEach(KafkaConsumer::wakeup);
    candidates.wakeup();
    for (Thread thread : threads) {
      thread.join(5_000);
    }
    matching.join(5_000);
    producers.forEach(p -> p.close(Duration.ofSeconds(2)));
    checks.close(Duration.ofSeconds(2));
    consumers.forEach(c -> c.close(CloseOptions.timeout(Duration.ofSeconds(2))));
    candidates.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
