package nl.covenanthub.events;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * A partner's program that decodes a {@code CaseSignal} it wrote, run in a JVM of its own by {@link
 * PartnerDecodingTest}: Avro's class validator is global, so only a fresh JVM shows what a
 * partner's application starts with. It prints one line, {@code decoded <eventId>} or {@code
 * refused <exception>: <message>}, and whether Avro trusted the generated classes before and after.
 *
 * <p>{@code java ... PartnerDecoder <how> <event file> <schema file>}, with {@code <how>}:
 *
 * <ul>
 *   <li>{@code generated-class}: {@code CaseSignal.fromByteBuffer(bytes)}, nothing else;
 *   <li>{@code schema-text}: {@code new SpecificDatumReader<>(schema)} of the schema parsed from
 *       its text, so that Avro loads the generated class by name before anything initialised it;
 *   <li>{@code schema-text-after-trust}: the same after {@code GeneratedClasses.trust()}.
 * </ul>
 */
public final class PartnerDecoder {
  private PartnerDecoder() {}

  public static void main(String[] args) throws Exception {
    String how = args[0];
    byte[] bytes = Files.readAllBytes(Path.of(args[1]));
    // The schema as a partner has it (a file, a registry), not from the generated class.
    String schemaText = Files.readString(Path.of(args[2]));
    System.out.println("trusted before: " + trusted());
    try {
      String eventId =
          switch (how) {
            case "generated-class" ->
                CaseSignal.fromByteBuffer(ByteBuffer.wrap(bytes)).getEventId();
            case "schema-text" -> withSchemaText(bytes, schemaText);
            case "schema-text-after-trust" -> {
              GeneratedClasses.trust();
              yield withSchemaText(bytes, schemaText);
            }
            default -> throw new IllegalArgumentException(how);
          };
      System.out.println("decoded " + eventId);
    } catch (RuntimeException e) {
      System.out.println("refused " + e.getClass().getName() + ": " + e.getMessage());
    }
    System.out.println("trusted after: " + trusted());
  }

  /** Reads the body after the single-object header with a reader of the schema's text. */
  private static String withSchemaText(byte[] bytes, String schemaText) throws Exception {
    Schema schema = new Schema.Parser().parse(schemaText);
    SpecificDatumReader<Object> reader = new SpecificDatumReader<>(schema);
    Object record =
        reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));
    return String.valueOf(((IndexedRecord) record).get(0));
  }

  /** Whether Avro's validator trusts CaseSignal now, asked without initialising the class. */
  private static boolean trusted() throws ClassNotFoundException {
    return ClassSecurityValidator.getGlobal()
        .isTrusted(
            Class.forName(
                "nl.covenanthub.events.CaseSignal", false, PartnerDecoder.class.getClassLoader()));
  }
}
