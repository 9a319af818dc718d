package nl.covenanthub.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Whether events written with a partner's writer schema can be read as the hub's event type of the
 * same name (its reader schema), by Avro schema resolution: the writer schema's record name must be
 * one of the reader schemas', and {@link SchemaCompatibility#checkReaderWriterCompatibility} must
 * find it compatible. A field only the writer has is skipped when reading; a field only the reader
 * has takes its default.
 *
 * <p>A verdict's problems name fields and types of the two schemas, never values.
 */
public final class WriterCompatibility {
  private WriterCompatibility() {}

  /** What the check found. */
  public enum Outcome {
    COMPATIBLE,
    /** The writer schema is not a record, so it is no event. */
    NOT_A_RECORD,
    /** No reader schema has the writer schema's full name. */
    UNKNOWN_EVENT_TYPE,
    /** Avro cannot resolve the writer schema into the reader schema of its name. */
    INCOMPATIBLE
  }

  /**
   * Why a writer schema cannot be read: Avro's kind of incompatibility (e.g. {@code
   * READER_FIELD_MISSING_DEFAULT_VALUE}), where in the reader schema it is (a JSON pointer, and the
   * field path it leads to, as far as the reader schema names one) and Avro's message, which names
   * fields, types or enum symbols.
   */
  public record Problem(String kind, String field, String location, String message) {}

  /**
   * The check of one writer schema.
   *
   * @param reader the reader schema of the writer schema's name, if there is one
   */
  public record Verdict(Outcome outcome, Optional<Schema> reader, List<Problem> problems) {
    public Verdict {
      problems = List.copyOf(problems);
    }

    public boolean compatible() {
      return outcome == Outcome.COMPATIBLE;
    }
  }

  /** Checks {@code writer} against the reader schema of its name in {@code readersByName}. */
  public static Verdict check(Schema writer, Map<String, Schema> readersByName) {
    if (writer.getType() != Schema.Type.RECORD) {
      return new Verdict(Outcome.NOT_A_RECORD, Optional.empty(), List.of());
    }
    Schema reader = readersByName.get(writer.getFullName());
    if (reader == null) {
      return new Verdict(Outcome.UNKNOWN_EVENT_TYPE, Optional.empty(), List.of());
    }
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return new Verdict(Outcome.COMPATIBLE, Optional.of(reader), List.of());
    }
    List<Problem> problems = new ArrayList<>();
    for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
      problems.add(
          new Problem(
              incompatibility.getType().name(),
              fieldAt(reader, incompatibility.getLocation()),
              incompatibility.getLocation(),
              incompatibility.getMessage()));
    }
    return new Verdict(Outcome.INCOMPATIBLE, Optional.of(reader), problems);
  }

  /**
   * The dotted field path that a location such as {@code /fields/5/type/fields/3/type/1} leads to
   * in {@code reader} ({@code subject.address}), as far as the reader schema has what it names.
   */
  static String fieldAt(Schema reader, String location) {
    List<String> path = new ArrayList<>();
    Schema at = reader;
    String[] steps = location.split("/");
    for (int i = 1; i < steps.length; i++) {
      String step = steps[i];
      if (step.equals("fields") && i + 1 < steps.length && at.getType() == Schema.Type.RECORD) {
        int index = index(steps[++i]);
        if (index < 0 || index >= at.getFields().size()) {
          break;
        }
        Schema.Field field = at.getFields().get(index);
        path.add(field.name());
        at = field.schema();
      } else if (at.getType() == Schema.Type.UNION && index(step) >= 0) {
        if (index(step) >= at.getTypes().size()) {
          break;
        }
        at = at.getTypes().get(index(step));
      } else if (step.equals("items") && at.getType() == Schema.Type.ARRAY) {
        at = at.getElementType();
      } else if (step.equals("values") && at.getType() == Schema.Type.MAP) {
        at = at.getValueType();
      } else if (!step.equals("type")) {
        break;
      }
    }
    return String.join(".", path);
  }

  private static int index(String step) {
    return step.matches("\\d{1,6}") ? Integer.parseInt(step) : -1;
  }
}
