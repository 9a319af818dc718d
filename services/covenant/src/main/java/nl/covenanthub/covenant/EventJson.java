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
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Plain JSON to and from Avro records, the way people write events: no union wrappers, dates as
 * {@code 1985-03-14} and timestamps as ISO instants. Errors name the field path.
 */
public final class EventJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EventJson() {}

  /**
   * The record of {@code schema} that {@code json} describes; unknown fields and missing required
   * ones are errors.
   */
  public static GenericData.Record read(JsonNode json, Schema schema) {
    return (GenericData.Record) value(json, schema, "");
  }

  public static ObjectNode write(IndexedRecord record) {
    return (ObjectNode) json(record, record.getSchema());
  }

  private static Object value(JsonNode json, Schema schema, String path) {
    String where = path.isEmpty() ? "event" : path;
    switch (schema.getType()) {
      case UNION -> {
        if (json == null || json.isNull()) {
          if (schema.isNullable()) {
            return null;
          }
          throw new IllegalArgumentException(where + " may not be null");
        }
        List<String> tried = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() == Schema.Type.NULL) {
            continue;
          }
          try {
            return value(json, branch, path);
          } catch (IllegalArgumentException e) {
            tried.add(e.getMessage());
          }
        }
        throw new IllegalArgumentException(String.join("; ", tried));
      }
      case RECORD -> {
        if (json == null || !json.isObject()) {
          throw new IllegalArgumentException(where + " must be an object");
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (schema.getField(name) == null) {
            throw new IllegalArgumentException(
                where
                    + " has no field '"
                    + name
                    + "'; it has "
                    + schema.getFields().stream().map(Schema.Field::name).toList());
          }
        }
        for (Schema.Field field : schema.getFields()) {
          String child = path.isEmpty() ? field.name() : path + "." + field.name();
          JsonNode node = json.get(field.name());
          if ((node == null || node.isNull()) && field.hasDefaultValue()) {
            record.put(field.pos(), GenericData.get().getDefaultValue(field));
          } else if (node == null) {
            throw new IllegalArgumentException("missing required field " + child);
          } else {
            record.put(field.pos(), value(node, field.schema(), child));
          }
        }
        return record;
      }
      case ARRAY -> {
        if (json == null || !json.isArray()) {
          throw new IllegalArgumentException(where + " must be a list");
        }
        List<Object> items = new GenericData.Array<>(json.size(), schema);
        for (int i = 0; i < json.size(); i++) {
          items.add(value(json.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return items;
      }
      case ENUM -> {
        String symbol = text(json, where);
        if (!schema.getEnumSymbols().contains(symbol)) {
          throw new IllegalArgumentException(
              where + " is '" + symbol + "', not one of " + schema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(schema, symbol);
      }
      case STRING -> {
        return text(json, where);
      }
      case INT -> {
        if (schema.getLogicalType() instanceof LogicalTypes.Date && json.isTextual()) {
          try {
            return (int) LocalDate.parse(json.asText()).toEpochDay();
          } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                where + " is not a date (YYYY-MM-DD): " + json.asText());
          }
        }
        return number(json, where).intValue();
      }
      case LONG -> {
        if (isTimestamp(schema.getLogicalType()) && json.isTextual()) {
          try {
            return Instant.parse(json.asText()).toEpochMilli();
          } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                where + " is not an ISO instant (2026-11-29T10:15:00Z): " + json.asText());
          }
        }
        return number(json, where).longValue();
      }
      case BOOLEAN -> {
        if (!json.isBoolean()) {
          throw new IllegalArgumentException(where + " must be true or false");
        }
        return json.asBoolean();
      }
      case DOUBLE, FLOAT -> {
        Number n = number(json, where);
        return schema.getType() == Schema.Type.DOUBLE
            ? (Object) n.doubleValue()
            : (Object) n.floatValue();
      }
      default ->
          throw new IllegalArgumentException(
              where + ": type " + schema.getType() + " is not supported in JSON events");
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

  private static String text(JsonNode json, String where) {
    if (json == null || !json.isTextual()) {
      throw new IllegalArgumentException(where + " must be text");
    }
    return json.asText();
  }

  private static Number number(JsonNode json, String where) {
    if (json == null || !json.isNumber()) {
      throw new IllegalArgumentException(where + " must be a number");
    }
    return json.numberValue();
  }
}
