package nl.covenanthub.covenant;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Builds a recipient's view of an event: a record of a schema holding only the fields the plan lets
 * pass, each already transformed. Worked out once per plan, so that applying it is a copy of the
 * allowed fields by position; a record whose every field passes is shared rather than copied.
 */
final class ViewBuilder {
  private final Schema viewSchema;
  private final int[] sourcePositions;
  private final Step[] steps;

  private ViewBuilder(Schema viewSchema, int[] sourcePositions, Step[] steps) {
    this.viewSchema = viewSchema;
    this.sourcePositions = sourcePositions;
    this.steps = steps;
  }

  /** How one field of the view gets its value from the source field. */
  private interface Step {
    Object apply(Object sourceValue);
  }

  /**
   * The builder for {@code disclosed} (leaf path to a treatment that discloses), or null if nothing
   * under {@code prefix} is disclosed.
   */
  static ViewBuilder compile(
      EventSchema event,
      Schema record,
      String prefix,
      String viewName,
      Map<String, Treatment> disclosed,
      KeyRing keys,
      Treatment.Scope scope) {
    return compile(
        event, record, prefix, viewName, disclosed, keys, scope, new IdentityHashMap<>());
  }

  private static ViewBuilder compile(
      EventSchema event,
      Schema record,
      String prefix,
      String viewName,
      Map<String, Treatment> disclosed,
      KeyRing keys,
      Treatment.Scope scope,
      Map<Schema, Schema> compacted) {
    List<Schema.Field> fields = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      String path = prefix + field.name();
      FieldRef ref = event.resolve(path).orElseThrow();
      Schema viewType;
      Step step;
      if (ref.isRecord()) {
        List<String> leaves = event.leavesUnder(path);
        if (leaves.stream().allMatch(l -> disclosed.get(l) instanceof Treatment.Pass)) {
          viewType = compact(ref.type(), compacted);
          step = value -> value;
        } else {
          ViewBuilder nested =
              compile(
                  event,
                  ref.type(),
                  path + ".",
                  viewName + "_" + field.name(),
                  disclosed,
                  keys,
                  scope,
                  compacted);
          if (nested == null) {
            continue;
          }
          viewType = nested.viewSchema;
          step = value -> nested.build((IndexedRecord) value);
        }
      } else {
        Treatment treatment = disclosed.get(path);
        if (treatment == null) {
          continue;
        }
        viewType = compact(treatment.viewType(ref.type()), compacted);
        UnaryOperator<Object> transform = treatment.transform(keys, scope);
        step = transform::apply;
      }
      fields.add(nullable(field, viewType));
      positions.add(field.pos());
      steps.add(step);
    }
    if (fields.isEmpty()) {
      return null;
    }
    Schema schema = Schema.createRecord(viewName, null, "nl.covenanthub.views", false, fields);
    return new ViewBuilder(
        schema,
        positions.stream().mapToInt(Integer::intValue).toArray(),
        steps.toArray(Step[]::new));
  }

  Schema schema() {
    return viewSchema;
  }

  GenericData.Record build(IndexedRecord source) {
    GenericData.Record view = new GenericData.Record(viewSchema);
    for (int i = 0; i < steps.length; i++) {
      Object value = source.get(sourcePositions[i]);
      view.put(i, value == null ? null : steps[i].apply(value));
    }
    return view;
  }

  // Every view field is optional: a transformation may have nothing to give (a malformed postcode)
  // and a recipient's schema should not promise what a later covenant version may withhold.
  private static Schema.Field nullable(Schema.Field source, Schema type) {
    Schema optional =
        type.isNullable() ? type : Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    return new Schema.Field(source.name(), optional, null, JsonProperties.NULL_VALUE);
  }

  /**
   * The type without docs and custom attributes, logical types kept. The view schema travels with
   * every inbox record, so it carries only what decoding needs; the documentation lives in
   * schemas/.
   */
  private static Schema compact(Schema type, Map<Schema, Schema> done) {
    Schema copy = done.get(type);
    if (copy != null) {
      return copy;
    }
    switch (type.getType()) {
      case RECORD -> {
        copy = Schema.createRecord(type.getName(), null, type.getNamespace(), false);
        done.put(type, copy);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : type.getFields()) {
          fields.add(new Schema.Field(f.name(), compact(f.schema(), done), null, f.defaultVal()));
        }
        copy.setFields(fields);
        return copy;
      }
      case UNION ->
          copy = Schema.createUnion(type.getTypes().stream().map(t -> compact(t, done)).toList());
      case ARRAY -> copy = Schema.createArray(compact(type.getElementType(), done));
      case MAP -> copy = Schema.createMap(compact(type.getValueType(), done));
      case ENUM ->
          copy =
              Schema.createEnum(
                  type.getName(),
                  null,
                  type.getNamespace(),
                  type.getEnumSymbols(),
                  type.getEnumDefault());
      case FIXED ->
          copy = Schema.createFixed(type.getName(), null, type.getNamespace(), type.getFixedSize());
      default -> copy = Schema.create(type.getType());
    }
    if (type.getLogicalType() != null) {
      type.getLogicalType().addToSchema(copy);
    }
    done.put(type, copy);
    return copy;
  }
}
