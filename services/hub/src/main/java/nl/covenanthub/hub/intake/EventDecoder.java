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

  /**
   * Avro allocates what a length prefix claims before it reads the bytes: ten bytes claiming a 2 GB
   * string or a billion array items would exhaust the heap. No field of a record the broker accepts
   * (1 MiB by default) can be longer than the record, so lengths are capped there. These are
   * process-wide system properties read once by Avro; set here, before the first decode, unless the
   * operator set them.
   */
  static final String AVRO_MAX_LENGTH = Integer.toString(1 << 20);

  static {
    for (String limit :
        new String[] {
          "org.apache.avro.limits.string.maxLength",
          "org.apache.avro.limits.bytes.maxLength",
          "org.apache.avro.limits.collectionItems.maxLength",
          "org.apache.avro.limits.collectionItems.maxAllocation"
        }) {
      if (System.getProperty(limit) == null) {
        System.setProperty(limit, AVRO_MAX_LENGTH);
      }
    }
  }

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
        | UnsupportedOperationException
        | IndexOutOfBoundsException
        | IllegalArgumentException e) {
      throw new BadInputException(
          DeadLetterReason.UNDECODABLE,
          "Avro body does not decode: " + e.getClass().getSimpleName());
    }
  }
}
