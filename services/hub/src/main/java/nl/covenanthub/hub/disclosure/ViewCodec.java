package nl.covenanthub.hub.disclosure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.springframework.stereotype.Component;

/**
 * Avro binary of a recipient's view, plus its schema as JSON for the {@code avro-schema} header, so an
 * inbox consumer needs no registry. Writers and schema text are made once per view schema.
 */
@Component
public class ViewCodec {
  public static final String SCHEMA_HEADER = "avro-schema";

  private final Map<Schema, Codec> codecs = new ConcurrentHashMap<>();

  private record Codec(GenericDatumWriter<GenericData.Record> writer, byte[] schemaJson) {}

  public byte[] encode(GenericData.Record view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      codec(view.getSchema()).writer.write(view, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public byte[] schemaJson(Schema schema) {
    return codec(schema).schemaJson;
  }

  private Codec codec(Schema schema) {
    return codecs.computeIfAbsent(schema, s -> new Codec(new GenericDatumWriter<>(s), s.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
