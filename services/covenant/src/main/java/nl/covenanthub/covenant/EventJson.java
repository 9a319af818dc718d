package nl.covenanthub.covenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Plain JSON to and from Avro records, the way people write events: no union wrappers, dates as
 * {@code 1985-03-14} and timestamps as ISO instants. Problems name the field path and never quote a
 * value: the JSON may hold a BSN or a name, and problems end up in answers and logs.
 */
public final class EventJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A field name that may be quoted in a problem: one that looks like a field name. */
  private static final Pattern QUOTABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private EventJson() {}

  /**
   * What is wrong at one place of the JSON.
   *
   * @param path the field's path, e.g. {@code subject.birthDate} or {@code concerns[1]}; {@code
   *     event} for the whole
   * @param problem what is wrong there, without its value
   */
  public record FieldProblem(String path, String problem) {
    @Override
    public String toString() {
      return path + " " + problem;
    }
  }

  /** The record, when the JSON describes one, and every problem found otherwise. */
  public record Reading(Optional<GenericData.Record> record, List<FieldProblem> problems) {
    public Reading {
      problems = List.copyOf(problems);
    }
  }

  /**
   * The record of {@code schema} that {@code json} describes; unknown fields and missing required
   * ones are errors. Throws with the first problem.
   */
  public static GenericData.Record read(JsonNode json, Schema schema) {
    Reading reading = readAll(json, schema);
    if (!reading.problems().isEmpty()) {
      throw new IllegalArgumentException(reading.problems().get(0).toString());
    }
    return reading.record().orElseThrow();
  }

  /** Reads {@code json} as a record of {@code schema}, collecting every problem. */
  public static Reading readAll(JsonNode json, Schema schema) {
    List<FieldProblem> problems = new ArrayList<>();
    Object record = value(json, schema, "", problems);
    return problems.isEmpty()
        ? new Reading(Optional.of((GenericData.Record) record), problems)
        : new Reading(Optional.empty(), problems);
  }

  public static ObjectNode write(IndexedRecord record) {
    return (ObjectNode) json(record, record.getSchema());
  }

  private static Object value(
      JsonNode json, Schema schema, String path, List<FieldProblem> problems) {
    String where = path.isEmpty() ? "event" : path;
    switch (schema.getType()) {
      case UNION -> {
        if (json == null || json.isNull()) {
          if (!schema.isNullable()) {
            problems.add(new FieldProblem(where, "may not be null"));
          }
          return null;
        }
        List<Schema> branches =
            schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        List<FieldProblem> first = null;
        for (Schema branch : branches) {
          List<FieldProblem> tried = new ArrayList<>();
          Object value = value(json, branch, path, tried);
          if (tried.isEmpty()) {
            return value;
          }
          first = first == null ? tried : first;
        }
        if (branches.size() == 1) {
          problems.addAll(first);
        } else {
          problems.add(new FieldProblem(where, "matches none of its types"));
        }
        return null;
      }
      case RECORD -> {
        if (json == null || !json.isObject()) {
          problems.add(new FieldProblem(where, "must be an object"));
          return null;
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (schema.getField(name) == null) {
            problems.add(
                new FieldProblem(
                    where,
                    (QUOTABLE_NAME.matcher(name).matches()
                            ? "has no field '" + name + "'"
                            : "has a field it does not have")
                        + "; it has "
                        + schema.getFields().stream().map(Schema.Field::name).toList()));
          }
        }
        for (Schema.Field field : schema.getFields()) {
          String child = path.isEmpty() ? field.name() : path + "." + field.name();
          JsonNode node = json.get(field.name());
          if ((node == null || node.isNull()) && field.hasDefaultValue()) {
            record.put(field.pos(), GenericData.get().getDefaultValue(field));
          } else if (node == null) {
            problems.add(new FieldProblem(child, "is required"));
          } else {
            record.put(field.pos(), value(node, field.schema(), child, problems));
          }
        }
        return record;
      }
      case ARRAY -> {
        if (json == null || !json.isArray()) {
          problems.add(new FieldProblem(where, "must be a list"));
          return null;
        }
        List<Object> items = new GenericData.Array<>(json.size(), schema);
        for (int i = 0; i < json.size(); i++) {
          items.add(value(json.get(i), schema.getElementType(), path + "[" + i + "]", problems));
        }
        return items;
      }
      case ENUM -> {
        if (json == null || !json.isTextual()) {
          problems.add(new FieldProblem(where, "must be text"));
          return null;
        }
        if (!schema.getEnumSymbols().contains(json.asText())) {
          problems.add(new FieldProblem(where, "is not one of " + schema.getEnumSymbols()));
          return null;
        }
        return new GenericData.EnumSymbol(schema, json.asText());
      }
      case STRING -> {
        if (json == null || !json.isTextual()) {
          problems.add(new FieldProblem(where, "must be text"));
          return null;
        }
        return json.asText();
      }
      case INT -> {
        if (schema.getLogicalType() instanceof LogicalTypes.Date && json.isTextual()) {
          try {
            return Math.toIntExact(LocalDate.parse(json.asText()).toEpochDay());
          } catch (DateTimeException e) {
            problems.add(new FieldProblem(where, "is not a date (YYYY-MM-DD)"));
          } catch (ArithmeticException e) {
            problems.add(new FieldProblem(where, "is a date too far from 1970"));
          }
          return null;
        }
        Long n = whole(json, Integer.MIN_VALUE, Integer.MAX_VALUE, where, problems);
        return n == null ? null : n.intValue();
      }
      case LONG -> {
        if (isTimestamp(schema.getLogicalType()) && json.isTextual()) {
          try {
            return Instant.parse(json.asText()).toEpochMilli();
          } catch (DateTimeException e) {
            problems.add(new FieldProblem(where, "is not an ISO instant (2026-11-29T10:15:00Z)"));
          } catch (ArithmeticException e) {
            problems.add(new FieldProblem(where, "is an instant too far from 1970"));
          }
          return null;
        }
        return whole(json, Long.MIN_VALUE, Long.MAX_VALUE, where, problems);
      }
      case BOOLEAN -> {
        if (!json.isBoolean()) {
          problems.add(new FieldProblem(where, "must be true or false"));
          return null;
        }
        return json.asBoolean();
      }
      case DOUBLE, FLOAT -> {
        Number n = number(json, where, problems);
        if (n == null) {
          return null;
        }
        boolean isDouble = schema.getType() == Schema.Type.DOUBLE;
        double value = isDouble ? n.doubleValue() : n.floatValue();
        if (!Double.isFinite(value)) {
          problems.add(new FieldProblem(where, "is too large"));
          return null;
        }
        return isDouble ? (Object) value : (Object) (float) value;
      }
      default -> {
        problems.add(
            new FieldProblem(
                where, "has type " + schema.getType() + ", which JSON events do not support"));
        return null;
      }
    }
  }

  private static JsonNode json(Object value, Schema schema) {
    if (value == null) {
      return JSON.nullNode();
    }
    switch (schema.getType()) {
      case UNION -> {
        int branch = GenericData.get().resolveUnion(schema, value);
        return json(value, schema.getTypes().get(branch));
      }
      case RECORD -> {
        ObjectNode object = JSON.objectNode();
        IndexedRecord record = (IndexedRecord) value;
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(), json(record.get(field.pos()), field.schema()));
        }
        return object;
      }
      case ARRAY -> {
        ArrayNode array = JSON.arrayNode();
        for (Object item : (Collection<?>) value) {
          array.add(json(item, schema.getElementType()));
        }
        return array;
      }
      case INT -> {
        int n = ((Number) value).intValue();
        return schema.getLogicalType() instanceof LogicalTypes.Date
            ? JSON.textNode(LocalDate.ofEpochDay(n).toString())
            : JSON.numberNode(n);
      }
      case LONG -> {
        long n = ((Number) value).longValue();
        return isTimestamp(schema.getLogicalType())
            ? JSON.textNode(Instant.ofEpochMilli(n).toString())
            : JSON.numberNode(n);
      }
      case BOOLEAN -> {
        return JSON.booleanNode((Boolean) value);
      }
      case DOUBLE, FLOAT -> {
        return JSON.numberNode(((Number) value).doubleValue());
      }
      default -> {
        return JSON.textNode(value.toString());
      }
    }
  }

  private static boolean isTimestamp(LogicalType type) {
    return type instanceof LogicalTypes.TimestampMillis;
  }

  /**
   * A whole number from {@code min} to {@code max}, or a problem: a value is never rounded or
   * wrapped into range (Jackson's {@code intValue()} of 4294967297 is 1).
   */
  private static Long whole(
      JsonNode json, long min, long max, String where, List<FieldProblem> problems) {
    if (json == null || !json.isIntegralNumber()) {
      problems.add(new FieldProblem(where, "must be a whole number"));
      return null;
    }
    if (!json.canConvertToLong() || json.longValue() < min || json.longValue() > max) {
      problems.add(new FieldProblem(where, "is out of range (" + min + " to " + max + ")"));
      return null;
    }
    return json.longValue();
  }

  private static Number number(JsonNode json, String where, List<FieldProblem> problems) {
    if (json == null || !json.isNumber()) {
      problems.add(new FieldProblem(where, "must be a number"));
      return null;
    }
    return json.numberValue();
  }
}
