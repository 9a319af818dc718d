package nl.covenanthub.hub.disclosure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.events.InboxViews;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * How a recipient's view goes on the wire: Avro binary, with the id of its schema in the {@value
 * InboxViews#SCHEMA_ID_HEADER} header. Each schema is published to {@value
 * InboxViews#SCHEMAS_TOPIC} in the transaction of the first inbox record that uses it, so a
 * recipient never sees a record whose schema it cannot find, and no record carries a schema of its
 * own (that was more than half of what the hub wrote).
 */
@Component
public class ViewCodec {
  private final Map<Schema, Codec> codecs = new ConcurrentHashMap<>();

  /**
   * Ids of schemas in a committed transaction; a schema sent in a transaction that aborts is sent
   * again.
   */
  private final Set<String> published = ConcurrentHashMap.newKeySet();

  private final ThreadLocal<Set<String>> pending = ThreadLocal.withInitial(HashSet::new);
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
  private final KafkaTemplate<String, byte[]> kafka;

  private record Codec(
      GenericDatumWriter<GenericData.Record> writer, byte[] json, String id, byte[] idHeader) {}

  /** A view as it goes on the wire: its Avro binary, and the id of its schema for the header. */
  public record Encoded(byte[] value, byte[] schemaId) {}

  public ViewCodec(KafkaTemplate<String, byte[]> kafka) {
    this.kafka = kafka;
  }

  /** Encodes {@code view}; publishes its schema in the current transaction if that is new. */
  public Encoded encode(GenericData.Record view) {
    Codec codec = codecs.computeIfAbsent(view.getSchema(), ViewCodec::codec);
    if (!published.contains(codec.id) && pending.get().add(codec.id)) {
      kafka.send(InboxViews.SCHEMAS_TOPIC, codec.id, codec.json);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    // Buffered: the direct encoder writes byte by byte into the stream, which costs several times
    // more.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, encoders.get());
    encoders.set(encoder);
    try {
      codec.writer.write(view, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(bytes.toByteArray(), codec.idHeader);
  }

  public void afterCommit() {
    published.addAll(pending.get());
    pending.get().clear();
  }

  public void afterRollback() {
    pending.get().clear();
  }

  private static Codec codec(Schema schema) {
    String json = schema.toString();
    String id = InboxViews.schemaId(json);
    return new Codec(
        new GenericDatumWriter<>(schema),
        json.getBytes(StandardCharsets.UTF_8),
        id,
        id.getBytes(StandardCharsets.US_ASCII));
  }
}
