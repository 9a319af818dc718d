package nl.covenanthub.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import nl.covenanthub.events.GeneratedClasses;
import nl.covenanthub.events.SingleObjectEncoding;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The hash of an audit record: SHA-256 over its Avro binary encoding with {@code hash} empty. The
 * hub computes it when writing; anyone holding the records recomputes it to verify the chain.
 *
 * <p>A record is hashed in the schema version it was written in. Version 2 added {@code
 * senderSpanId}; a record of version 1 has none, and its hash is over its version-1 encoding
 * ({@code AuditRecord-v1.avsc}, kept beside this class). So a record without a sender span holds if
 * either encoding of its fields gives its hash: both are encodings of the same values, so this
 * accepts nothing that was changed. Decoders read version-1 records too ({@link
 * #trustGeneratedClasses}).
 */
public final class AuditHash {
  /** The previousHash of the first record of a chain. */
  public static final String GENESIS = "0".repeat(64);

  /** The first version of the schema, before {@code senderSpanId}. */
  static final Schema VERSION_1 = versionOne();

  private static boolean readsVersionOne;

  static {
    trustGeneratedClasses();
  }

  private static final SpecificDatumWriter<AuditRecord> WRITER =
      new SpecificDatumWriter<>(AuditRecord.class);

  private static final SpecificDatumWriter<GenericRecord> VERSION_1_WRITER =
      new SpecificDatumWriter<>(VERSION_1, new AuditRecord().getSpecificData());

  /** Single-object encoding starts with a 2-byte marker and an 8-byte schema fingerprint. */
  private static final int SINGLE_OBJECT_HEADER = 10;

  /** An encoded hash: its length (64, two bytes in Avro's varint) and 64 hex digits. */
  private static final int SEAL_LENGTH = 2 + 64;

  static {
    // sealed() relies on hash being the last field: its empty value is then the encoding's last
    // byte.
    List<Schema.Field> fields = AuditRecord.getClassSchema().getFields();
    if (!fields.get(fields.size() - 1).name().equals("hash")) {
      throw new IllegalStateException("AuditRecord.hash must be the schema's last field");
    }
  }

  private AuditHash() {}

  /**
   * Readies Avro to decode audit records: version-1 records (before {@code senderSpanId}) are read
   * with it null, and the generated classes are trusted ({@link GeneratedClasses#trust()}, which
   * each generated class also does when first used). Idempotent.
   */
  public static synchronized void trustGeneratedClasses() {
    if (!readsVersionOne) {
      // Records the hub wrote before senderSpanId: read with it null.
      AuditRecord.getDecoder().addSchema(VERSION_1);
      readsVersionOne = true;
    }
    GeneratedClasses.trust();
  }

  /** The hash of {@code record} in the current schema version: what the hub seals it with. */
  public static String of(AuditRecord record) {
    // A shallow copy with the hash emptied: a builder would deep-copy every field first, which
    // cost the integrity check a third of its time.
    AuditRecord unsealed = new AuditRecord();
    int hash = AuditRecord.getClassSchema().getFields().size() - 1;
    for (int field = 0; field < hash; field++) {
      unsealed.put(field, record.get(field));
    }
    unsealed.put(hash, "");
    return sha256(encoded(WRITER, unsealed));
  }

  /** The hash of {@code record} as a version-1 record: only for one without a sender span. */
  static String ofVersionOne(AuditRecord record) {
    if (record.getSenderSpanId() != null) {
      throw new IllegalArgumentException("a version-1 record has no senderSpanId");
    }
    GenericRecord old = new GenericData.Record(VERSION_1);
    for (Schema.Field field : VERSION_1.getFields()) {
      old.put(field.pos(), field.name().equals("hash") ? "" : record.get(field.name()));
    }
    return sha256(encoded(VERSION_1_WRITER, old));
  }

  /**
   * Whether {@code record}'s fields give its own hash, in the schema version it was written in: the
   * current one, or version 1 for a record without a sender span.
   */
  public static boolean holdsItsHash(AuditRecord record) {
    String hash = record.getHash();
    return hash.equals(of(record))
        || record.getSenderSpanId() == null && hash.equals(ofVersionOne(record));
  }

  private static <T> byte[] encoded(DatumWriter<T> writer, T record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(SHA_256.get().digest(bytes));
  }

  /** A digest per thread: looking one up among the providers costs more than hashing a record. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private static Schema versionOne() {
    try (InputStream in = AuditHash.class.getResourceAsStream("AuditRecord-v1.avsc")) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Seals {@code record} (sets its hash) and returns its single-object encoding, encoding it once:
   * the hash is taken over the body with an empty hash, whose encoding is a final zero byte, and
   * that byte is then replaced by the encoded hash, in room the encoding left for it. The result
   * equals encoding the sealed record afresh.
   */
  public static byte[] sealed(AuditRecord record) {
    record.setHash("");
    byte[] sealed = SingleObjectEncoding.bytes(record, SEAL_LENGTH - 1);
    int unsealed = sealed.length - (SEAL_LENGTH - 1);
    MessageDigest sha256 = SHA_256.get();
    sha256.update(sealed, SINGLE_OBJECT_HEADER, unsealed - SINGLE_OBJECT_HEADER);
    String hash = HexFormat.of().formatHex(sha256.digest());
    record.setHash(hash);
    // Avro writes a string as its zig-zag varint length, then the bytes: 64 is 0x80 0x01.
    sealed[unsealed - 1] = (byte) 0x80;
    sealed[unsealed] = (byte) 0x01;
    for (int i = 0; i < hash.length(); i++) {
      sealed[unsealed + 1 + i] = (byte) hash.charAt(i); // hex digits: ASCII
    }
    return sealed;
  }

  /** Whether {@code record} carries its own correct hash and follows {@code previousHash}. */
  public static boolean follows(AuditRecord record, String previousHash) {
    return record.getPreviousHash().equals(previousHash) && holdsItsHash(record);
  }
}
