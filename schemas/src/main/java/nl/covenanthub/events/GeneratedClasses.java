package nl.covenanthub.events;

import java.util.Set;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * The classes Avro generated from this artifact's schemas (events and audit records), made trusted
 * by Avro's class security check. Since 1.12, Avro loads a class it decodes into only if the global
 * {@link ClassSecurityValidator} trusts it, and trusts none of ours by default: decoding fails with
 * {@code SecurityException: Forbidden nl.covenanthub.events.CaseSignal}.
 *
 * <p>Every generated record class calls {@link #trust()} when it is initialised (the avro-maven
 * plugin's template, {@code src/main/avro-templates/record.vm}), so decoding with {@code
 * CaseSignal.fromByteBuffer(...)}, {@code CaseSignal.getDecoder()} or a {@code
 * SpecificDatumReader<>(CaseSignal.class)} needs no setup. Call it yourself, once, when you decode
 * into these classes without touching one first (a {@code SpecificDatumReader} of a schema parsed
 * from text), or after you replaced Avro's global validator:
 *
 * <pre>{@code
 * nl.covenanthub.events.GeneratedClasses.trust();
 * }</pre>
 *
 * It trusts the generated records and enums of {@code nl.covenanthub.events} and {@code
 * nl.covenanthub.audit}, nothing else, and keeps trusting whatever the validator trusted before.
 */
public final class GeneratedClasses {
  private static final Set<String> PACKAGES =
      Set.of("nl.covenanthub.events", "nl.covenanthub.audit");

  /** Generated, not hand-written: a record or an enum of Avro's, in one of our packages. */
  private static final ClassSecurityPredicate GENERATED =
      type ->
          PACKAGES.contains(type.getPackageName())
              && (SpecificRecord.class.isAssignableFrom(type)
                  || GenericEnumSymbol.class.isAssignableFrom(type));

  /** What this class set as the global validator, to tell whether someone replaced it since. */
  private static ClassSecurityPredicate installed;

  private GeneratedClasses() {}

  /** Makes Avro trust this artifact's generated classes, in addition to what it trusts already. */
  public static synchronized void trust() {
    ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (current != installed) {
      installed = ClassSecurityValidator.composite(current, GENERATED);
      ClassSecurityValidator.setGlobal(installed);
    }
  }

  /** Whether {@code type} is one of the classes {@link #trust()} makes trusted. */
  public static boolean isGenerated(Class<?> type) {
    return GENERATED.isTrusted(type);
  }
}
