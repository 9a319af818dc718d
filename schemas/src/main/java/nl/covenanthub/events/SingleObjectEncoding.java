package nl.covenanthub.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding as a byte array: the marker, the schema fingerprint and the body. The
 * fingerprint is what lets a reader tell which event type it holds without a schema registry.
 */
public final class SingleObjectEncoding {
  private static final Map<Schema, BinaryMessageEncoder<SpecificRecord>> ENCODERS = new ConcurrentHashMap<>();

  private SingleObjectEncoding() {}

  public static byte[] bytes(SpecificRecord record) {
    BinaryMessageEncoder<SpecificRecord> encoder = ENCODERS.computeIfAbsent(record.getSchema(),
        schema -> new BinaryMessageEncoder<>(SpecificData.getForClass(record.getClass()), schema));
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
