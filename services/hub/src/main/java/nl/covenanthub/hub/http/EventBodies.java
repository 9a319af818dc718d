package nl.covenanthub.hub.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.EventJson;
import nl.covenanthub.hub.PartnerEventTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * What the body of a partner's {@code POST /api/partner/events/{type}} says: the event, or why it
 * is refused. Pure, so that it can be fuzzed ({@code EventBodiesFuzzTest}): any bytes end in one of
 * the two, never in an exception. A refusal never quotes the body.
 */
final class EventBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventBodies() {}

  /** What a partner may publish, by name ({@link PartnerEventTypes}). */
  static Map<String, Schema> eventTypes(EventCatalog catalog) {
    Map<String, Schema> types = new LinkedHashMap<>();
    PartnerEventTypes.of(catalog).forEach(schema -> types.put(schema.getName(), schema));
    return types;
  }

  /** The answer to a body. */
  sealed interface Body {}

  /** An event of the type's schema, sent by the token's partner. */
  record Event(GenericData.Record record) implements Body {}

  /**
   * Why the body is refused (400): the whole, or field by field when it is JSON of the wrong shape.
   */
  record Refused(String detail, List<EventJson.FieldProblem> errors) implements Body {
    Refused {
      errors = List.copyOf(errors);
    }
  }

  /** The event {@code body} describes, as {@code schema}, from {@code partner}; or the refusal. */
  static Body read(byte[] body, Schema schema, String partner) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return new Refused(notJson(e.getLocation()), List.of());
    } catch (IOException e) {
      return new Refused("not valid JSON", List.of()); // not from an array; as Jackson declares it
    }
    if (!(json instanceof ObjectNode event)) {
      return new Refused("the body must be a JSON object: the event", List.of());
    }
    JsonNode sender = event.get("sender");
    if (sender != null && !sender.isNull() && !partner.equals(sender.asText())) {
      return schemaProblems(
          List.of(new EventJson.FieldProblem("sender", "must be you, or be left out")));
    }
    event.put("sender", partner);
    EventJson.Reading reading = EventJson.readAll(event, schema);
    return reading.record().isPresent()
        ? new Event(reading.record().get())
        : schemaProblems(reading.problems());
  }

  /** Avro single-object encoding, as a partner's own producer writes it. */
  static byte[] encoded(GenericRecord record) {
    try {
      ByteBuffer bytes =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema())
              .encode(record);
      return Arrays.copyOfRange(
          bytes.array(),
          bytes.arrayOffset() + bytes.position(),
          bytes.arrayOffset() + bytes.limit());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a validated event", e);
    }
  }

  private static Refused schemaProblems(List<EventJson.FieldProblem> problems) {
    return new Refused("the event does not match its schema", problems);
  }

  /**
   * Where the JSON broke; Jackson's message would quote the body. A body beyond the parser's limits
   * (nesting, the length of a number or a text) has no location.
   */
  private static String notJson(JsonLocation where) {
    return where == null
        ? "not valid JSON, or beyond the limits of JSON events (nesting, the length of a number or"
            + " a text)"
        : "not valid JSON (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
  }
}
