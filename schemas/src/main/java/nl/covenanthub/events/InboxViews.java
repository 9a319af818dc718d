package nl.covenanthub.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How a recipient reads its inbox. A record's value is plain Avro binary of its view (only the
 * fields the covenant let through); its {@value #SCHEMA_ID_HEADER} header names the view's schema,
 * which the hub publishes once to the compacted topic {@value #SCHEMAS_TOPIC} (key: the id, value:
 * the schema as JSON) in the transaction of the first record that uses it. Schemas are read from
 * that topic when an id is first seen, and kept.
 */
public final class InboxViews implements AutoCloseable {
  public static final String SCHEMA_ID_HEADER = "avro-schema-id";
  public static final String SCHEMAS_TOPIC = "hub.schemas";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;

  /**
   * @param kafka the recipient's consumer settings (bootstrap servers, security); its group is not
   *     used
   */
  public InboxViews(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The id of a view schema: the 64-bit Avro fingerprint (CRC-64-AVRO) of its JSON text, in hex.
   */
  public static String schemaId(String schemaJson) {
    return String.format(
        "%016x", SchemaNormalization.fingerprint64(schemaJson.getBytes(StandardCharsets.UTF_8)));
  }

  /** The view an inbox record carries. */
  public GenericRecord decode(Headers headers, byte[] value) {
    Header id = headers.lastHeader(SCHEMA_ID_HEADER);
    if (id == null) {
      throw new IllegalArgumentException("inbox record has no " + SCHEMA_ID_HEADER + " header");
    }
    GenericDatumReader<GenericRecord> reader =
        reader(new String(id.value(), StandardCharsets.UTF_8));
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(value, null));
    } catch (IOException e) {
      throw new UncheckedIOException("inbox record does not match its schema", e);
    }
  }

  /** The schema with this id, read from {@value #SCHEMAS_TOPIC} if not yet known. */
  public Schema schema(String id) {
    return reader(id).getSchema();
  }

  private GenericDatumReader<GenericRecord> reader(String id) {
    GenericDatumReader<GenericRecord> reader = readers.get(id);
    // The schema is committed in the record's own transaction, but the commit markers reach each
    // partition on their own: the inbox record can be readable a moment before the schema is.
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (reader == null) {
      readSchemasTopic();
      reader = readers.get(id);
      if (reader == null && System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("view schema " + id + " is not in " + SCHEMAS_TOPIC);
      }
    }
    return reader;
  }

  /**
   * Reads the compacted topic to its end; a schema is committed with the first record that uses it.
   */
  private synchronized void readSchemasTopic() {
    TopicSnapshot.read(
        consumer,
        SCHEMAS_TOPIC,
        TIMEOUT,
        record ->
            readers.computeIfAbsent(
                record.key(),
                id ->
                    new GenericDatumReader<>(
                        new Schema.Parser()
                            .parse(new String(record.value(), StandardCharsets.UTF_8)))));
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
