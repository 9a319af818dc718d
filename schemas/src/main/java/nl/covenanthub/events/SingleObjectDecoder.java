package nl.covenanthub.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.RawMessageDecoder;

/**
 * Decodes records written in Avro single-object encoding ({@link SingleObjectEncoding}: what the
 * generated classes' {@code toByteBuffer()} writes) into generic records of the known (reader)
 * schemas. The fingerprint names the schema the record was written with: one of the readers, or a
 * writer schema {@linkplain #addWriter added} since, whose records Avro schema resolution reads as
 * the reader of the same name (a field only the writer has is skipped, never part of the result).
 * Whatever the bytes, the only exception is {@link Refused}: partners' bytes are hostile input.
 *
 * <p>Thread-safe: writers may be added while other threads decode.
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

  private final Map<String, Schema> readers = new LinkedHashMap<>();
  private final Map<Long, RawMessageDecoder<GenericData.Record>> byFingerprint =
      new ConcurrentHashMap<>();

  /**
   * @param readers the schemas records are decoded into, each also read when written with it
   */
  public SingleObjectDecoder(Collection<Schema> readers) {
    for (Schema reader : readers) {
      this.readers.put(reader.getFullName(), reader);
      byFingerprint.put(
          SchemaNormalization.parsingFingerprint64(reader),
          new RawMessageDecoder<>(GenericData.get(), reader));
    }
  }

  /** The id of a schema: the 64-bit fingerprint of its parsing canonical form, 16 hex digits. */
  public static String fingerprint(Schema schema) {
    return hex(SchemaNormalization.parsingFingerprint64(schema));
  }

  private static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  /** Whether records written with {@code writer} would be decoded, and if not, why. */
  public WriterCompatibility.Verdict check(Schema writer) {
    return WriterCompatibility.check(writer, readers);
  }

  /**
   * Decodes from now on the records written with {@code writer}, if it {@linkplain #check resolves}
   * into the reader of its name; adding it again, or a reader, changes nothing.
   */
  public WriterCompatibility.Verdict addWriter(Schema writer) {
    WriterCompatibility.Verdict verdict = check(writer);
    if (verdict.compatible()) {
      byFingerprint.computeIfAbsent(
          SchemaNormalization.parsingFingerprint64(writer),
          fingerprint ->
              new RawMessageDecoder<>(GenericData.get(), writer, verdict.reader().orElseThrow()));
    }
    return verdict;
  }

  public GenericData.Record decode(byte[] bytes) {
    if (bytes == null
        || bytes.length < HEADER
        || bytes[0] != (byte) 0xC3
        || bytes[1] != (byte) 0x01) {
      throw new Refused(Problem.NOT_SINGLE_OBJECT, "not Avro single-object encoding");
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    RawMessageDecoder<GenericData.Record> decoder = byFingerprint.get(fingerprint);
    if (decoder == null) {
      throw new Refused(
          Problem.UNKNOWN_SCHEMA, "no known event schema has fingerprint " + hex(fingerprint));
    }
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, HEADER, bytes.length - HEADER));
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
