package nl.covenanthub.covenant;

import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * A field of an event schema by its dotted path ({@code subject.address.postcode}), resolved to
 * field positions so that reading it from a record is a few array lookups.
 *
 * @param type the field's type with a nullable union unwrapped
 * @param sensitivities the field's markings and those of the records around it
 */
public record FieldRef(
    String path, int[] positions, Schema type, boolean nullable, Set<Sensitivity> sensitivities) {

  public FieldRef {
    Objects.requireNonNull(path, "path");
    positions = positions.clone();
    Objects.requireNonNull(type, "type");
    sensitivities = Set.copyOf(sensitivities);
  }

  public boolean isRecord() {
    return type.getType() == Schema.Type.RECORD;
  }

  public boolean isArray() {
    return type.getType() == Schema.Type.ARRAY;
  }

  /** The last part of the path: the Avro field name. */
  public String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** The field's value in {@code event}, or null where it or a record around it is null. */
  public Object valueIn(IndexedRecord event) {
    Object value = event;
    for (int position : positions) {
      if (value == null) {
        return null;
      }
      value = ((IndexedRecord) value).get(position);
    }
    return value;
  }
}
