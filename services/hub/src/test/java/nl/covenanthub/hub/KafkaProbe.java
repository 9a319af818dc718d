package nl.covenanthub.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.events.TopicSnapshot;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A partner's and an auditor's view of the broker: publish to an outbox, read what was committed.
 */
final class KafkaProbe implements AutoCloseable {
  private final Map<String, Object> client;
  private final KafkaProducer<String, byte[]> producer;
  private InboxViews views;

  KafkaProbe(String brokers) {
    this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
  }

  /**
   * With these client settings, e.g. a partner's SASL/OAUTHBEARER login: the broker's ACLs then
   * apply.
   */
  KafkaProbe(Map<String, Object> client) {
    this.client = Map.copyOf(client);
    Map<String, Object> producerConfig = new HashMap<>(this.client);
    // A hostile partner sends records up to the broker's limit, not the producer's default.
    producerConfig.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
  }

  void publish(String topic, String key, byte[] value) {
    publish(new ProducerRecord<>(topic, key, value));
  }

  void publish(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("publish to " + record.topic() + " failed", e);
    }
  }

  /**
   * Every record of {@code topic} visible at this moment, committed only unless {@code
   * uncommitted}.
   */
  List<ConsumerRecord<String, byte[]>> read(String topic, boolean uncommitted) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, uncommitted ? "read_uncommitted" : "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicSnapshot.read(consumer, topic, Duration.ofSeconds(10), records::add);
    }
    return records;
  }

  List<ConsumerRecord<String, byte[]>> committed(String topic) {
    return read(topic, false);
  }

  List<AuditRecord> audit() {
    return committed("hub.audit").stream().map(r -> decodeAudit(r.value())).toList();
  }

  /** The committed audit records of one event. */
  List<AuditRecord> auditOf(String eventId) {
    return audit().stream().filter(r -> eventId.equals(r.getEventId())).toList();
  }

  static AuditRecord decodeAudit(byte[] bytes) {
    try {
      return AuditRecord.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * An inbox record's view, decoded as a recipient does: with the schema its header names, from
   * hub.schemas.
   */
  GenericRecord view(ConsumerRecord<String, byte[]> record) {
    if (views == null) {
      views = new InboxViews(client);
    }
    return views.decode(record.headers(), record.value());
  }

  @Override
  public void close() {
    producer.close();
    if (views != null) {
      views.close();
    }
  }
}
