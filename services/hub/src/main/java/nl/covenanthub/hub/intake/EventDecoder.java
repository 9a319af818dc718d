package nl.covenanthub.hub.intake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import nl.covenanthub.covenant.EventCatalog;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;
import org.springframework.stereotype.Component;

/**
 * Decodes outbox records written in Avro single-object encoding (what the generated classes' {@code
 * toByteBuffer()} writes): a two-byte marker, the schema's 64-bit fingerprint, the binary body. The
 * fingerprint names the event type, so no schema registry is needed.
 */
@Component
public class EventDecoder {
  private static final int HEADER = 10;

  private final Map<Long, BinaryMessageDecoder<GenericData.Record>> byFingerprint = new HashMap<>();

  public EventDecoder(EventCatalog catalog) {
    for (String type : catalog.eventTypes()) {
      Schema schema = catalog.eventType(type).orElseThrow().avro();
      byFingerprint.put(
          SchemaNormalization.parsingFingerprint64(schema),
          new BinaryMessageDecoder<>(GenericData.get(), schema));
    }
  }

  public GenericData.Record decode(byte[] bytes) {
    if (bytes == null
        || bytes.length < HEADER
        || bytes[0] != (byte) 0xC3
        || bytes[1] != (byte) 0x01) {
      throw new BadInputException(DeadLetterReason.UNDECODABLE, "not Avro single-object encoding");
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    BinaryMessageDecoder<GenericData.Record> decoder = byFingerprint.get(fingerprint);
    if (decoder == null) {
      throw new BadInputException(
          DeadLetterReason.UNKNOWN_SCHEMA,
          "no known event schema has fingerprint " + Long.toHexString(fingerprint));
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | IllegalArgumentException e) {
      throw new BadInputException(
          DeadLetterReason.UNDECODABLE,
          "Avro body does not decode: " + e.getClass().getSimpleName());
    }
  }
}
