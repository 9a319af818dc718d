package nl.covenanthub.covenant;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** What happens to one field on its way to a recipient. A field that no rule names is dropped. */
public sealed interface Treatment
    permits Treatment.Pass,
        Treatment.Drop,
        Treatment.Pseudonymise,
        Treatment.Generalise,
        Treatment.Redact {

  /** The name used in covenant YAML and in audit records. */
  String name();

  /** Whether the recipient receives the field at all (as is or transformed). */
  default boolean discloses() {
    return true;
  }

  /**
   * Whether the recipient learns something derived from the value (a redacted field reveals
   * nothing).
   */
  default boolean revealsValue() {
    return discloses();
  }

  /** Why this treatment cannot apply to a field of this (non-null) type, or empty if it can. */
  default Optional<String> unsuitableFor(Schema leafType) {
    return Optional.empty();
  }

  /** The type the recipient sees for a source field of the given (non-null) type. */
  default Schema viewType(Schema leafType) {
    return leafType;
  }

  /**
   * The function applied to each non-null value of a field disclosed in {@code scope};
   * pseudonymisation derives its key here, once.
   */
  UnaryOperator<Object> transform(KeyRing keys, Scope scope);

  /** Where a field is disclosed: the covenant, the recipient and the purpose. */
  record Scope(String covenantId, String recipient, String purpose) {
    public Scope {
      Objects.requireNonNull(covenantId, "covenantId");
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(purpose, "purpose");
    }
  }

  /** The field passes unchanged. */
  record Pass() implements Treatment {
    public String name() {
      return "pass";
    }

    public UnaryOperator<Object> transform(KeyRing keys, Scope scope) {
      return UnaryOperator.identity();
    }
  }

  /** The field does not pass. Named explicitly to document intent; it is also the default. */
  record Drop() implements Treatment {
    public String name() {
      return "drop";
    }

    public boolean discloses() {
      return false;
    }

    public UnaryOperator<Object> transform(KeyRing keys, Scope scope) {
      return value -> null;
    }
  }

  /**
   * The value is replaced by a keyed HMAC-SHA256 pseudonym, so a recipient can link events about
   * the same person without learning who it is. The master key is named by reference and comes from
   * configuration; the pseudonym's key is derived from it for this covenant, recipient and purpose
   * ({@link Pseudonymiser#forRecipient}), so no two recipients or purposes share pseudonyms, unless
   * the covenant names a scope they share ({@code sharedAs}) and the basis for linking them ({@code
   * sharingBasis}).
   */
  record Pseudonymise(String keyRef, String sharedAs, String sharingBasis) implements Treatment {
    public Pseudonymise {
      Objects.requireNonNull(keyRef, "keyRef");
    }

    /** A pseudonym of this recipient and purpose alone. */
    public Pseudonymise(String keyRef) {
      this(keyRef, null, null);
    }

    /** Whether recipients in the same scope get the same pseudonym of a person. */
    public boolean shared() {
      return sharedAs != null;
    }

    public String name() {
      return "pseudonymise";
    }

    public Optional<String> unsuitableFor(Schema leafType) {
      return leafType.getType() == Schema.Type.STRING
          ? Optional.empty()
          : Optional.of("pseudonymise applies to text fields, not " + describe(leafType));
    }

    public UnaryOperator<Object> transform(KeyRing keys, Scope scope) {
      Pseudonymiser pseudonymiser =
          shared()
              ? Pseudonymiser.forSharedScope(keyRef, keys, scope.covenantId(), sharedAs)
              : Pseudonymiser.forRecipient(
                  keyRef, keys, scope.covenantId(), scope.recipient(), scope.purpose());
      return value -> pseudonymiser.pseudonym(value.toString());
    }
  }

  /** The value is made coarser: a date to its year, a postcode to its four digits. */
  record Generalise(Generalisation to) implements Treatment {
    public Generalise {
      Objects.requireNonNull(to, "to");
    }

    public String name() {
      return "generalise:" + to.yamlName;
    }

    public Optional<String> unsuitableFor(Schema leafType) {
      return to.accepts(leafType)
          ? Optional.empty()
          : Optional.of(
              "generalise to "
                  + to.yamlName
                  + " applies to "
                  + to.accepted
                  + ", not "
                  + describe(leafType));
    }

    public Schema viewType(Schema leafType) {
      return to.viewType;
    }

    public UnaryOperator<Object> transform(KeyRing keys, Scope scope) {
      return to.function;
    }
  }

  /**
   * The value is replaced by a constant, so the recipient sees that the field exists but not its
   * content.
   */
  record Redact(String replacement) implements Treatment {
    public Redact {
      Objects.requireNonNull(replacement, "replacement");
    }

    public String name() {
      return "redact";
    }

    public boolean revealsValue() {
      return false;
    }

    public Schema viewType(Schema leafType) {
      return Schema.create(Schema.Type.STRING);
    }

    public UnaryOperator<Object> transform(KeyRing keys, Scope scope) {
      return value -> replacement;
    }
  }

  /** The coarser forms a value can be generalised to. */
  enum Generalisation {
    /** A date (days since epoch) or timestamp (millis) to its calendar year. */
    YEAR("year", "dates and timestamps", Schema.create(Schema.Type.INT), Generalisation::toYear) {
      boolean accepts(Schema type) {
        LogicalType logical = type.getLogicalType();
        return logical instanceof LogicalTypes.Date
            || logical instanceof LogicalTypes.TimestampMillis;
      }
    },
    /** A Dutch postcode ("6658 AB") to its four digits ("6658"): the area, not the street. */
    POSTCODE_AREA(
        "postcode-area",
        "text fields",
        Schema.create(Schema.Type.STRING),
        Generalisation::toPostcodeArea) {
      boolean accepts(Schema type) {
        return type.getType() == Schema.Type.STRING;
      }
    };

    private static final Pattern POSTCODE_DIGITS = Pattern.compile("^\\s*(\\d{4})");

    final String yamlName;
    private final String accepted;
    private final Schema viewType;
    private final UnaryOperator<Object> function;

    Generalisation(
        String yamlName, String accepted, Schema viewType, UnaryOperator<Object> function) {
      this.yamlName = yamlName;
      this.accepted = accepted;
      this.viewType = viewType;
      this.function = function;
    }

    abstract boolean accepts(Schema type);

    public static Optional<Generalisation> fromYaml(String name) {
      for (Generalisation g : values()) {
        if (g.yamlName.equals(name)) {
          return Optional.of(g);
        }
      }
      return Optional.empty();
    }

    private static Object toYear(Object value) {
      if (value instanceof LocalDate date) {
        return date.getYear();
      }
      if (value instanceof java.time.Instant instant) {
        return instant.atZone(ZoneOffset.UTC).getYear();
      }
      if (value instanceof Integer days) {
        return LocalDate.ofEpochDay(days).getYear();
      }
      if (value instanceof Long millis) {
        return java.time.Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).getYear();
      }
      throw new IllegalArgumentException("not a date: " + value.getClass().getSimpleName());
    }

    /**
     * Anything that does not start with four digits is not a postcode we can coarsen, so nothing of
     * it passes.
     */
    private static Object toPostcodeArea(Object value) {
      Matcher m = POSTCODE_DIGITS.matcher(value.toString());
      return m.find() ? m.group(1) : null;
    }
  }

  private static String describe(Schema type) {
    return type.getLogicalType() != null
        ? type.getLogicalType().getName()
        : type.getType().getName();
  }
}
