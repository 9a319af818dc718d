package nl.covenanthub.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The compact one-line rendering of a view for the demo's console, and header access. */
final class Views {
  /** Shown in the line that introduces the record, so not repeated among its fields. */
  private static final Set<String> IN_HEADLINE =
      Set.of("eventId", "sender", "purpose", "occurredAt");

  private static final int MAX_TEXT = 60;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private Views() {}

  static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * {@code caseReference=PL0600-…, subject.name=J. de Vries, concerns=[VERWARD_GEDRAG], …}: the
   * fields that passed.
   */
  static String compact(GenericRecord view) {
    List<String> parts = new ArrayList<>();
    flatten("", view, parts);
    return String.join(", ", parts);
  }

  private static void flatten(String prefix, GenericRecord record, List<String> parts) {
    for (Schema.Field field : record.getSchema().getFields()) {
      String path = prefix + field.name();
      if (prefix.isEmpty() && IN_HEADLINE.contains(path)) {
        continue;
      }
      Object value = record.get(field.pos());
      if (value instanceof GenericRecord nested) {
        String whole = whole(nested);
        if (whole != null) {
          parts.add(path + "=" + whole);
        } else {
          flatten(path + ".", nested, parts);
        }
      } else if (value != null) {
        parts.add(
            path
                + "="
                + (field.name().equals("bsn")
                    ? bsn(value.toString())
                    : text(value, logicalType(field.schema()))));
      }
    }
  }

  /**
   * An address or contact that passed whole, as one would write it: {@code Dorpsstraat 14, 6658 AB
   * Beneden-Leeuwen}, {@code wijkagent R. Jansen (Politie basisteam Tweestromenland, 0900-8844)}.
   * Null when only part of it passed, so that which parts passed stays visible.
   */
  private static String whole(GenericRecord record) {
    Schema schema = record.getSchema();
    if (schema.getFields().size() == 4
        && present(record, "street", "houseNumber", "postcode", "city")) {
      return record.get("street")
          + " "
          + record.get("houseNumber")
          + ", "
          + record.get("postcode")
          + " "
          + record.get("city");
    }
    if (present(record, "name", "organisation")
        && schema.getField("phone") != null
        && schema.getField("email") != null) {
      StringBuilder contact =
          new StringBuilder()
              .append(record.get("name"))
              .append(" (")
              .append(record.get("organisation"));
      for (String optional : List.of("phone", "email")) {
        if (record.get(optional) != null) {
          contact.append(", ").append(record.get(optional));
        }
      }
      return contact.append(')').toString();
    }
    return null;
  }

  private static boolean present(GenericRecord record, String... fields) {
    for (String field : fields) {
      if (record.getSchema().getField(field) == null || record.get(field) == null) {
        return false;
      }
    }
    return true;
  }

  /** A BSN, or the keyed pseudonym that replaced it: shortened, and said to be one. */
  private static String bsn(String value) {
    return value.matches("\\d{9}")
        ? value
        : value.substring(0, Math.min(10, value.length())) + "… (pseudonym)";
  }

  private static String text(Object value, LogicalType logicalType) {
    if (logicalType != null
        && value instanceof Integer days
        && logicalType.getName().equals("date")) {
      return LocalDate.ofEpochDay(days).toString();
    }
    if (logicalType != null
        && value instanceof Long millis
        && logicalType.getName().startsWith("timestamp")) {
      return TIME.format(Instant.ofEpochMilli(millis));
    }
    if (value instanceof Collection<?> items) {
      return items.stream()
          .map(item -> text(item, null))
          .collect(Collectors.joining(", ", "[", "]"));
    }
    String text = value.toString();
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }

  private static LogicalType logicalType(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return branch.getLogicalType();
        }
      }
    }
    return schema.getLogicalType();
  }
}
