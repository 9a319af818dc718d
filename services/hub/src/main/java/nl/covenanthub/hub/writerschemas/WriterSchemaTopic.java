package nl.covenanthub.hub.writerschemas;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.events.WriterSchemas.Registration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * {@code hub.writer-schemas}: the writer schemas partners registered, one record per partner and
 * schema ({@link WriterSchemas} says its form), compacted, in one partition. Only the hub writes
 * it.
 *
 * <p>Every instance reads it from the beginning at start-up, and again to its end whenever it needs
 * the latest: before it refuses an event of a schema it does not know (the partner may have
 * registered it through another instance a moment ago), before it answers a partner, and after it
 * registered a schema itself. There is no thread that follows it: a schema matters only once an
 * event written with it arrives, and that event comes after its registration.
 */
public final class WriterSchemaTopic implements AutoCloseable {
  public static final String TOPIC = WriterSchemas.TOPIC;

  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Logger log = LoggerFactory.getLogger(WriterSchemaTopic.class);

  /** The topic could not be read or written in time: nothing is decided on what it may hold. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final WriterSchemas schemas;
  private final KafkaTemplate<String, byte[]> kafka;
  private final Duration timeout;
  private final Consumer<String, byte[]> consumer; // guarded by this

  @SuppressWarnings({"unchecked", "rawtypes"})
  public WriterSchemaTopic(
      WriterSchemas schemas,
      ConsumerFactory<?, ?> consumers,
      KafkaTemplate<String, byte[]> kafka,
      KafkaAdmin admin,
      WriterSchemaProperties properties) {
    this.schemas = schemas;
    this.kafka = kafka;
    this.timeout = properties.readTimeout();
    admin.createOrModifyTopics(topic());
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        (Consumer<String, byte[]>)
            ((ConsumerFactory) consumers).createConsumer(null, "writer-schemas", "", overrides);
    consumer.assign(List.of(PARTITION));
    consumer.seekToBeginning(List.of(PARTITION));
    readToEnd();
    log.info("Read {}: writer schemas per partner {}", TOPIC, schemas.counts());
  }

  /** The topic as the hub creates it: one partition, compacted, one record per registration. */
  public static NewTopic topic() {
    return TopicBuilder.name(TOPIC)
        .partitions(1)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        .build();
  }

  /**
   * Takes every registration up to the topic's end as it is now (the last committed one).
   *
   * @throws Unavailable if that takes longer than {@code hub.writer-schemas.read-timeout}
   */
  public void readToEnd() {
    readUpTo(() -> consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION));
  }

  /**
   * Registers: appends {@code registration} in a transaction of its own, then reads up to it. Not
   * only to the end: a commit returns before the broker has marked the partition committed, and
   * until then a read_committed reader's end is before the registration. Once this returns, an
   * instance that starts reads it too.
   */
  public void append(Registration registration) {
    long offset;
    try {
      offset =
          kafka
              .executeInTransaction(operations -> operations.send(registration.toRecord()))
              .join() // sent: the transaction committed
              .getRecordMetadata()
              .offset();
    } catch (KafkaException | CompletionException e) {
      throw new Unavailable(TOPIC + " cannot be written: " + e.getClass().getSimpleName(), e);
    }
    readUpTo(() -> offset + 1);
  }

  /** Takes every registration before offset {@code end}, within the read timeout. */
  private synchronized void readUpTo(LongSupplier end) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      long target = end.getAsLong();
      while (consumer.position(PARTITION, timeout) < target) {
        if (System.nanoTime() > deadline) {
          throw new Unavailable(
              TOPIC + " not read to offset " + target + " within " + timeout, null);
        }
        consumer.poll(POLL).forEach(this::take);
      }
    } catch (KafkaException e) {
      throw new Unavailable(TOPIC + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    switch (schemas.take(record)) {
      case TAKEN -> {
        // decoded from now on
      }
      case NOT_A_REGISTRATION ->
          log.error(
              "Skipped {}@{}: not a registration as the hub writes them", TOPIC, record.offset());
      case REFUSED ->
          // The hub's own schemas changed since the partner registered (the key names the partner
          // and the fingerprint): its events are dead-lettered as UNKNOWN_SCHEMA until it registers
          // a schema that resolves (docs/schema-evolution.md).
          log.error(
              "REFUSED writer schema {} at {}@{}: it no longer resolves into the hub's schema",
              record.key(),
              TOPIC,
              record.offset());
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
