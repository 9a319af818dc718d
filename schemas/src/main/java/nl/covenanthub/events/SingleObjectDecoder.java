package nl.covenanthub.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * Decodes records written in Avro single-object encoding ({@link SingleObjectEncoding}: what the
 * generated classes' {@code toByteBuffer()} writes) into generic records of the known schemas. The
 * fingerprint names the schema, so no registry is needed. Whatever the bytes, the only exception is
 * {@link Refused}: partners' bytes are hostile input.
 */
public final class SingleObjectDecoder {
  private static final int HEADER = 10;

  /**
   * Avro allocates what a length prefix claims before it reads the bytes: ten bytes claiming a 2 GB
   * string or a billion array items would exhaust the heap. No field of a record the broker accepts
   * (1 MiB by default) can be longer than the record, so lengths are capped there. These are
   * process-wide system properties read once by Avro; set here, before the first decode, unless the
   * operator set them.
   */
  public static final String AVRO_MAX_LENGTH = Integer.toString(1 << 20);

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

  /** Why bytes were not decoded. */
  public enum Problem {
    /** No single-object marker. */
    NOT_SINGLE_OBJECT,
    /** A fingerprint of no known schema. */
    UNKNOWN_SCHEMA,
    /** The body does not decode with the schema its fingerprint names. */
    UNDECODABLE
  }

  /** Bytes that are not a record of a known schema; the message quotes none of them. */
  public static final class Refused extends RuntimeException {
    private final Problem problem;

    Refused(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  private final Map<Long, BinaryMessageDecoder<GenericData.Record>> byFingerprint = new HashMap<>();

  public SingleObjectDecoder(Collection<Schema> schemas) {
    for (Schema schema : schemas) {
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
      throw new Refused(Problem.NOT_SINGLE_OBJECT, "not Avro single-object encoding");
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    BinaryMessageDecoder<GenericData.Record> decoder = byFingerprint.get(fingerprint);
    if (decoder == null) {
      throw new Refused(
          Problem.UNKNOWN_SCHEMA,
          "no known event schema has fingerprint " + Long.toHexString(fingerprint));
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException
        | AvroRuntimeException
        | UnsupportedOperationException
        | IndexOutOfBoundsException
        | IllegalArgumentException e) {
      throw new Refused(
          Problem.UNDECODABLE, "Avro body does not decode: " + e.getClass().getSimpleName());
    }
  }
}
