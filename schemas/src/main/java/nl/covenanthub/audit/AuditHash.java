package nl.covenanthub.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The hash of an audit record: SHA-256 over its Avro binary encoding with {@code hash} empty. The hub
 * computes it when writing; anyone holding the records recomputes it to verify the chain.
 */
public final class AuditHash {
  /** The previousHash of the first record of a chain. */
  public static final String GENESIS = "0".repeat(64);

  static {
    trustGeneratedClasses();
  }

  private static final SpecificDatumWriter<AuditRecord> WRITER = new SpecificDatumWriter<>(AuditRecord.class);

  private AuditHash() {}

  /**
   * Avro 1.12 refuses to load classes for enums and records unless trusted; ours are generated from
   * schemas/ and safe to trust. Idempotent; call before reading or writing generated records.
   */
  public static synchronized void trustGeneratedClasses() {
    ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (!current.isTrusted(AuditDecision.class)) {
      ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
          current, ClassSecurityValidator.builder().add(AuditDecision.class).add(AuditRecord.class).add(ChainHead.class).build()));
    }
  }

  public static String of(AuditRecord record) {
    AuditRecord unsealed = AuditRecord.newBuilder(record).setHash("").build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      WRITER.write(unsealed, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code record} carries its own correct hash and follows {@code previousHash}. */
  public static boolean follows(AuditRecord record, String previousHash) {
    return record.getPreviousHash().equals(previousHash) && record.getHash().equals(of(record));
  }
}
