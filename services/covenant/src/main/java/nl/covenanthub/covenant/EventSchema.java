package nl.covenanthub.covenant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * An event type's Avro schema seen as field paths: every record and leaf field, with its
 * sensitivity markings (the {@code "avg"} attribute: {@code art9}, {@code art10}, {@code bsn}).
 */
public final class EventSchema {
  /** The Avro field attribute that marks special-category, criminal or BSN fields. */
  public static final String SENSITIVITY_ATTRIBUTE = "avg";

  private final Schema schema;
  private final Map<String, FieldRef> fields = new LinkedHashMap<>();
  private final List<String> leaves;

  public EventSchema(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("an event schema is a record, not " + schema.getType());
    }
    this.schema = schema;
    List<String> found = new ArrayList<>();
    walk(schema, "", new int[0], EnumSet.noneOf(Sensitivity.class), found);
    this.leaves = List.copyOf(found);
  }

  /** The event type name: the schema's simple name, e.g. {@code CaseSignal}. */
  public String eventType() {
    return schema.getName();
  }

  public Schema avro() {
    return schema;
  }

  public Optional<FieldRef> resolve(String path) {
    return Optional.ofNullable(fields.get(path));
  }

  /** Every leaf path (a field that is not a record), in schema order. */
  public List<String> leaves() {
    return leaves;
  }

  /** The leaf paths at or below {@code path}. */
  public List<String> leavesUnder(String path) {
    String prefix = path + ".";
    return leaves.stream().filter(l -> l.equals(path) || l.startsWith(prefix)).toList();
  }

  /** Every path, records included, for messages that suggest what was meant. */
  public Set<String> paths() {
    return fields.keySet();
  }

  private void walk(
      Schema record,
      String prefix,
      int[] positions,
      Set<Sensitivity> inherited,
      List<String> leaves) {
    for (Schema.Field field : record.getFields()) {
      String path = prefix + field.name();
      int[] here = Arrays.copyOf(positions, positions.length + 1);
      here[positions.length] = field.pos();
      Set<Sensitivity> marks = EnumSet.noneOf(Sensitivity.class);
      marks.addAll(inherited);
      marks.addAll(markings(field));
      Schema type = field.schema();
      boolean nullable = false;
      if (type.isNullable() && type.getType() == Schema.Type.UNION && type.getTypes().size() == 2) {
        nullable = true;
        type =
            type.getTypes().get(0).getType() == Schema.Type.NULL
                ? type.getTypes().get(1)
                : type.getTypes().get(0);
      }
      fields.put(path, new FieldRef(path, here, type, nullable, marks));
      if (type.getType() == Schema.Type.RECORD) {
        walk(type, path + ".", here, marks, leaves);
      } else {
        leaves.add(path);
      }
    }
  }

  private static Set<Sensitivity> markings(Schema.Field field) {
    Object attribute = field.getObjectProp(SENSITIVITY_ATTRIBUTE);
    Set<Sensitivity> marks = EnumSet.noneOf(Sensitivity.class);
    if (attribute instanceof List<?> list) {
      for (Object item : list) {
        marks.add(
            Sensitivity.fromMarking(String.valueOf(item))
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "field "
                                + field.name()
                                + " has unknown '"
                                + SENSITIVITY_ATTRIBUTE
                                + "' marking "
                                + item)));
      }
    }
    return marks;
  }
}
