package nl.covenanthub.hub.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.hub.intake.EventDecoder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Whatever body a partner posts to {@code /api/partner/events/{type}}, reading it ends in an event
 * or in a refusal (400) that says what is wrong and quotes none of the partner's text; never in an
 * exception (a 500). An event it accepts encodes, decodes on the Kafka path as the same record, and
 * holds exactly the numbers, dates and instants its JSON says (never wrapped, rounded or moved).
 *
 * <p>An input is the event type's name, a newline and the body; a first line that names no type
 * picks one by its hash, so that every input tries some schema. {@code mvn test} runs the seed
 * corpus in {@code src/test/resources/nl/covenanthub/hub/http/EventBodiesFuzzTestInputs/} (an event
 * of each type, and the findings); {@code JAZZER_FUZZ=1} fuzzes from it (docs/reliability.md).
 */
class EventBodiesFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Schema> TYPES = EventBodies.eventTypes(EventCatalog.standard());
  private static final List<String> NAMES = List.copyOf(TYPES.keySet());
  private static final EventDecoder KAFKA_PATH =
      new EventDecoder(new WriterSchemas(List.copyOf(TYPES.values())), () -> {});
  private static final String PARTNER = "politie";

  /** What a refusal may say in its own words, though a partner's text may be the same. */
  private static final String HUBS_OWN_WORDS =
      String.join(" ", TYPES.values().stream().map(EventBodiesFuzzTest::namesIn).toList())
          + String.join(
              " ",
              List.of(
                  "not valid JSON (line, column), or beyond the limits of JSON events (nesting, the"
                      + " length of a number or a text)",
                  "the body must be a JSON object: the event",
                  "the event does not match its schema",
                  "must be you, or be left out",
                  "may not be null; matches none of its types; must be an object; has no field; has a"
                      + " field it does not have; it has; is required; must be a list; must be text;"
                      + " is not one of; is not a date (YYYY-MM-DD); is a date too far from 1970; is"
                      + " not an ISO instant (2026-11-29T10:15:00Z); is an instant too far from 1970;"
                      + " must be true or false; is too large; which JSON events do not support; must"
                      + " be a whole number; is out of range (-2147483648 to 2147483647)"
                      + " (-9223372036854775808 to 9223372036854775807); must be a number",
                  "FieldProblem[path=, problem=]"));

  /**
   * The schema's text, and the lists a refusal names as Java prints them: every record's field
   * names ("it has [a, b]") and every enum's symbols ("is not one of [A, B]").
   */
  private static String namesIn(Schema schema) {
    StringBuilder names = new StringBuilder(schema.toString());
    Set<String> seen = new HashSet<>();
    List<Schema> todo = new ArrayList<>(List.of(schema));
    while (!todo.isEmpty()) {
      Schema s = todo.remove(todo.size() - 1);
      if (!seen.add(
          s.getType() + " " + (s.getType() == Schema.Type.RECORD ? s.getFullName() : s))) {
        continue;
      }
      switch (s.getType()) {
        case RECORD -> {
          names.append(' ').append(s.getFields().stream().map(Schema.Field::name).toList());
          s.getFields().forEach(f -> todo.add(f.schema()));
        }
        case ENUM -> names.append(' ').append(s.getEnumSymbols());
        case UNION -> todo.addAll(s.getTypes());
        case ARRAY -> todo.add(s.getElementType());
        default -> {}
      }
    }
    return names.toString();
  }

  private static final Path SEEDS =
      Path.of(
          "src/test/resources/nl/covenanthub/hub/http/EventBodiesFuzzTestInputs",
          "anyBodyIsAnEventOrARefusalThatQuotesNothing");

  @FuzzTest(maxDuration = "2m")
  void anyBodyIsAnEventOrARefusalThatQuotesNothing(byte[] input) {
    int newline = indexOf(input, (byte) '\n');
    String name = newline < 0 ? "" : new String(input, 0, newline, UTF_8);
    Schema schema =
        TYPES.getOrDefault(
            name, TYPES.get(NAMES.get(Math.floorMod(name.hashCode(), NAMES.size()))));
    byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);

    EventBodies.Body read = EventBodies.read(body, schema, PARTNER);

    if (read instanceof EventBodies.Refused refused) {
      assertThat(refused.detail()).as("a refusal says why").isNotBlank();
      String said = refused.detail() + " " + refused.errors();
      assertThat(partnerTexts(body))
          .as("partner text in the refusal")
          .filteredOn(text -> !HUBS_OWN_WORDS.contains(text))
          .noneMatch(said::contains);
      return;
    }
    GenericData.Record event = ((EventBodies.Event) read).record();
    assertThat(GenericData.get().validate(schema, event)).as("a valid Avro record").isTrue();
    assertThat(event.get("sender")).hasToString(PARTNER);
    assertThat(KAFKA_PATH.decode(PARTNER, EventBodies.encoded(event)))
        .as("what the outbox holds decodes as the same event")
        .isEqualTo(event);
    sameValues(parse(body), event, "event");
  }

  /**
   * The seeds named after an event type are valid events of it; the others are refused. Fails when
   * a schema change makes a seed stale, so the fuzzer keeps starting from real events.
   */
  @Test
  void theSeedsOfEachTypeAreEventsAndTheFindingsAreRefused() throws IOException {
    Set<String> typesSeeded = new HashSet<>();
    try (var seeds = Files.list(SEEDS)) {
      for (Path seed : seeds.toList()) {
        byte[] input = Files.readAllBytes(seed);
        String type = new String(input, 0, indexOf(input, (byte) '\n'), UTF_8);
        byte[] body = Arrays.copyOfRange(input, indexOf(input, (byte) '\n') + 1, input.length);
        EventBodies.Body read = EventBodies.read(body, TYPES.get(type), PARTNER);
        if (VALID_SEEDS.contains(seed.getFileName().toString())) {
          assertThat(read).as(seed.getFileName().toString()).isInstanceOf(EventBodies.Event.class);
          typesSeeded.add(type);
        } else {
          assertThat(read)
              .as(seed.getFileName().toString())
              .isInstanceOf(EventBodies.Refused.class);
        }
        anyBodyIsAnEventOrARefusalThatQuotesNothing(input);
      }
    }
    assertThat(typesSeeded).as("a valid seed of every type").isEqualTo(TYPES.keySet());
  }

  private static final Set<String> VALID_SEEDS =
      Set.of(
          "case-signal",
          "case-signal-aanpak-ondermijning",
          "case-reference",
          "case-status-change",
          "withdrawal-acknowledgement",
          "erasure-request",
          "match-query",
          "timestamp-as-epoch-millis");

  /**
   * Every number the JSON gives is the record's value exactly; every date and instant given as text
   * is the day, or the millisecond, the record holds.
   */
  private static void sameValues(JsonNode json, Object value, String path) {
    if (json == null || value == null) {
      return; // a null, or a field left out and given its default
    }
    if (json.isNumber()) {
      assertThat(new BigDecimal(value.toString()))
          .as(path)
          .isEqualByComparingTo(json.decimalValue());
    } else if (json.isTextual() && value instanceof Integer days) {
      assertThat(LocalDate.ofEpochDay(days)).as(path).isEqualTo(LocalDate.parse(json.asText()));
    } else if (json.isTextual() && value instanceof Long millis) {
      assertThat(Instant.ofEpochMilli(millis))
          .as(path)
          .isEqualTo(Instant.parse(json.asText()).truncatedTo(ChronoUnit.MILLIS));
    } else if (json.isObject() && value instanceof GenericRecord record) {
      for (Schema.Field field : record.getSchema().getFields()) {
        sameValues(json.get(field.name()), record.get(field.pos()), path + "." + field.name());
      }
    } else if (json.isArray() && value instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        sameValues(json.get(i), items.get(i), path + "[" + i + "]");
      }
    }
  }

  /** The text values of the body, when it is JSON: what a refusal must not repeat. */
  private static List<String> partnerTexts(byte[] body) {
    List<String> texts = new ArrayList<>();
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return texts; // nothing was read, so nothing can be quoted from what was read
    }
    if (json != null) {
      collect(json, texts);
    }
    // Short texts occur in any sentence; keys may be quoted when they look like field names.
    List<String> keys = new ArrayList<>();
    keysOf(json, keys);
    texts.removeIf(t -> t.length() < 4 || keys.stream().anyMatch(k -> k.contains(t)));
    return texts;
  }

  private static void collect(JsonNode json, List<String> texts) {
    if (json.isTextual()) {
      texts.add(json.asText());
    }
    json.forEach(child -> collect(child, texts));
  }

  private static void keysOf(JsonNode json, List<String> keys) {
    if (json == null) {
      return;
    }
    json.fieldNames().forEachRemaining(keys::add);
    json.forEach(child -> keysOf(child, keys));
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("an accepted body that is not JSON", e);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
