package nl.covenanthub.hub.writerschemas;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.WriterCompatibility;
import nl.covenanthub.hub.writerschemas.WriterSchemas.Registration;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * {@code hub.writer-schemas}: the writer schemas partners registered, one record per partner and
 * schema (key {@code <partner>/<fingerprint>}, value the schema's parsing canonical form, headers
 * the event type, the partner and the time), compacted, in one partition. Only the hub writes it.
 *
 * <p>Every instance reads it from the beginning at start-up, and again to its end whenever it needs
 * the latest: before it refuses an event of a schema it does not know (the partner may have
 * registered it through another instance a moment ago), before it answers a partner, and after it
 * registered a schema itself. There is no thread that follows it: a schema matters only once an
 * event written with it arrives, and that event comes after its registration.
 */
public final class WriterSchemaTopic implements AutoCloseable {
  public static final String TOPIC = "hub.writer-schemas";
  public static final String EVENT_TYPE_HEADER = "event-type";
  public static final String PARTNER_HEADER = "registered-by";
  public static final String TIME_HEADER = "registered-at";

  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Pattern KEY = Pattern.compile("([a-z0-9-]+)/([0-9a-f]{16})");
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
  public synchronized void readToEnd() {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      long end = consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
      while (consumer.position(PARTITION, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new Unavailable(TOPIC + " not read to its end within " + timeout, null);
        }
        consumer.poll(POLL).forEach(this::take);
      }
    } catch (KafkaException e) {
      throw new Unavailable(TOPIC + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  /** Registers: appends {@code registration} in a transaction of its own, then reads it back. */
  public void append(Registration registration) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            TOPIC,
            PARTITION.partition(),
            registration.partner() + "/" + registration.fingerprint(),
            registration.schema().getBytes(StandardCharsets.UTF_8));
    Headers headers = record.headers();
    header(headers, EVENT_TYPE_HEADER, registration.eventType());
    header(headers, PARTNER_HEADER, registration.partner());
    header(headers, TIME_HEADER, registration.registeredAt().toString());
    try {
      kafka.executeInTransaction(operations -> operations.send(record));
    } catch (KafkaException e) {
      throw new Unavailable(TOPIC + " cannot be written: " + e.getClass().getSimpleName(), e);
    }
    readToEnd();
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    Optional<Registration> registration = registrationOf(record);
    if (registration.isEmpty()) {
      log.warn("Skipped {}@{}: not a registration the hub wrote", TOPIC, record.offset());
      return;
    }
    Registration r = registration.get();
    Schema writer;
    try {
      writer = new Schema.Parser().parse(r.schema());
    } catch (RuntimeException e) {
      log.error("Skipped {}@{}: its schema does not parse", TOPIC, record.offset());
      return;
    }
    if (!SingleObjectDecoder.fingerprint(writer).equals(r.fingerprint())
        || !writer.getFullName().equals(r.eventType())) {
      log.error("Skipped {}@{}: its key or headers do not fit its schema", TOPIC, record.offset());
      return;
    }
    WriterCompatibility.Verdict verdict = schemas.take(r, writer);
    if (!verdict.compatible()) {
      // The hub's own schemas changed since the partner registered: its events are dead-lettered
      // as UNKNOWN_SCHEMA until it registers a schema that resolves (docs/schema-evolution.md).
      log.error(
          "REFUSED writer schema {} of partner {} at {}@{}: {} {}",
          r.fingerprint(),
          r.partner(),
          TOPIC,
          record.offset(),
          verdict.outcome(),
          verdict.problems().stream().map(WriterCompatibility.Problem::kind).toList());
    }
  }

  /** The registration a record holds, if it is one the hub wrote. */
  private static Optional<Registration> registrationOf(ConsumerRecord<String, byte[]> record) {
    Matcher key = KEY.matcher(record.key() == null ? "" : record.key());
    Optional<String> partner = text(record.headers(), PARTNER_HEADER);
    Optional<String> eventType = text(record.headers(), EVENT_TYPE_HEADER);
    Optional<String> at = text(record.headers(), TIME_HEADER);
    if (!key.matches()
        || record.value() == null
        || !partner.equals(Optional.of(key.group(1)))
        || eventType.isEmpty()
        || at.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Registration(
              key.group(1),
              key.group(2),
              eventType.get(),
              Instant.parse(at.get()),
              new String(record.value(), StandardCharsets.UTF_8)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
