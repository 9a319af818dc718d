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
 * How a recipient's view goes on the wire: Avro binary, with the id of its schema in the
 * {@value InboxViews#SCHEMA_ID_HEADER} header. Each schema is published to {@value InboxViews#SCHEMAS_TOPIC}
 * in the transaction of the first inbox record that uses it, so a recipient never sees a record whose schema
 * it cannot find, and no record carries a schema of its own (that was more than half of what the hub wrote).
 */
@Component
public class ViewCodec {
  private final Map<Schema, Codec> codecs = new ConcurrentHashMap<>();
  /** Ids of schemas in a committed transaction; a schema sent in a transaction that aborts is sent again. */
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<Set<String>> pending = ThreadLocal.withInitial(HashSet::new);
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
  private final KafkaTemplate<String, byte[]> kafka;

  private record Codec(GenericDatumWriter<GenericData.Record> writer, String json, byte[] id) {}

  public ViewCodec(KafkaTemplate<String, byte[]> kafka) {
    this.kafka = kafka;
  }

  public byte[] encode(GenericData.Record view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    // Buffered: the direct encoder writes byte by byte into the stream, which costs several times more.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, encoders.get());
    encoders.set(encoder);
    try {
      codec(view.getSchema()).writer.write(view, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The id for the schema header; publishes the schema in the current transaction if it is new. */
  public byte[] schemaId(Schema schema) {
    Codec codec = codec(schema);
    String id = new String(codec.id, StandardCharsets.US_ASCII);
    if (!published.contains(id) && pending.get().add(id)) {
      kafka.send(InboxViews.SCHEMAS_TOPIC, id, codec.json.getBytes(StandardCharsets.UTF_8));
    }
    return codec.id;
  }

  public void afterCommit() {
    published.addAll(pending.get());
    pending.get().clear();
  }

  public void afterRollback() {
    pending.get().clear();
  }

  private Codec codec(Schema schema) {
    return codecs.computeIfAbsent(schema, s -> {
      String json = s.toString();
      return new Codec(new GenericDatumWriter<>(s), json, InboxViews.schemaId(json).getBytes(StandardCharsets.US_ASCII));
    });
  }
}
