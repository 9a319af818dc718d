package nl.covenanthub.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding as a byte array: the marker {@code 0xC3 0x01}, the schema's 8-byte
 * fingerprint (CRC-64-AVRO of its parsing canonical form, little-endian) and the body. The
 * fingerprint is what lets a reader tell which event type it holds without a schema registry. The
 * bytes are those of the generated classes' {@code toByteBuffer()}; they are written through Avro's
 * buffered encoder, which on the hub's path (two audit records per event) costs far less than the
 * byte-at-a-time encoder behind {@code toByteBuffer()}.
 */
public final class SingleObjectEncoding {
  private static final Map<Schema, Writer> WRITERS = new ConcurrentHashMap<>();
  private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

  /** The largest buffer a thread keeps for the next record. */
  private static final int KEPT_BUFFER = 64 * 1024;

  /**
   * A buffer per thread, reset for each record: an audit record outgrows a fresh 1 KB buffer, and
   * growing it copies what was written.
   */
  private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

  /** A byte stream that hands out its content with room after it, in one copy. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(4096);
    }

    byte[] copy(int spare) {
      return Arrays.copyOf(buf, count + spare);
    }
  }

  private record Writer(byte[] header, DatumWriter<Object> writer) {}

  private SingleObjectEncoding() {}

  public static byte[] bytes(SpecificRecord record) {
    return bytes(record, 0);
  }

  /**
   * The encoding of {@code record} followed by {@code spare} zero bytes, for a caller that appends
   * to it (the audit's seal) without copying it again.
   */
  public static byte[] bytes(SpecificRecord record, int spare) {
    Writer writer =
        WRITERS.computeIfAbsent(
            record.getSchema(),
            schema ->
                new Writer(
                    header(schema),
                    new OptionalFields(SpecificData.getForClass(record.getClass()))
                        .createDatumWriter(schema)));
    Buffer bytes = BUFFERS.get();
    bytes.reset();
    bytes.writeBytes(writer.header);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, ENCODERS.get());
    ENCODERS.set(encoder);
    try {
      writer.writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] encoded = bytes.copy(spare);
    if (bytes.size() > KEPT_BUFFER) {
      BUFFERS.remove(); // not kept at the size of a rare large record
    }
    return encoded;
  }

  /**
   * The generated classes' model, with one shortcut: an optional field (a union of null and one
   * other type, as most of an audit record's are) is written as its second branch whenever it is
   * not null, without Avro's lookup of the value's type among the branches by name. A value of the
   * wrong type still fails, when that branch's writer meets it. The bytes are Avro's own ({@code
   * AuditHashTest}).
   */
  private static final class OptionalFields extends SpecificData {
    OptionalFields(SpecificData generated) {
      super(generated.getClassLoader());
      generated.getConversions().forEach(this::addLogicalTypeConversion);
    }

    @Override
    public int resolveUnion(Schema union, Object datum) {
      List<Schema> branches = union.getTypes();
      if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
        return datum == null ? 0 : 1;
      }
      return super.resolveUnion(union, datum);
    }
  }

  private static byte[] header(Schema schema) {
    return ByteBuffer.allocate(10)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .putLong(SchemaNormalization.parsingFingerprint64(schema))
        .array();
  }
}
