package nl.covenanthub.console.logboek;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Logboek Dataverwerkingen standard's field list (a faithful copy kept in test resources), and
 * the check of one exported record against it: every required field, nothing outside the list, the
 * byte lengths of the ids, the status values and the dpl namespace.
 */
public final class LogboekStandard {
  private static final JsonNode STANDARD = read();

  private LogboekStandard() {}

  public static void assertConforms(JsonNode record) {
    JsonNode fields = STANDARD.get("fields");
    fields
        .properties()
        .forEach(
            field -> {
              if (field.getValue().get("required").asBoolean()) {
                assertThat(record.has(field.getKey())).as(field.getKey()).isTrue();
              }
            });
    record
        .propertyNames()
        .forEach(
            name ->
                assertThat(fields.has(name)).as("%s is a field of the standard", name).isTrue());
    assertThat(record.get("trace_id").asString()).as("16 bytes").matches("[0-9a-f]{32}");
    assertThat(record.get("span_id").asString()).as("8 bytes").matches("[0-9a-f]{16}");
    assertThat(fields.get("status_code").get("values").toString())
        .contains("\"" + record.get("status_code").asString() + "\"");
    assertThat(record.get("start_time").isIntegralNumber()).isTrue();
    assertThat(record.get("end_time").asLong())
        .isGreaterThanOrEqualTo(record.get("start_time").asLong());
    if (record.has("foreign_operation")) {
      JsonNode foreign = record.get("foreign_operation");
      JsonNode itsFields = fields.get("foreign_operation").get("fields");
      foreign
          .propertyNames()
          .forEach(
              name -> assertThat(itsFields.has(name)).as("foreign_operation." + name).isTrue());
      assertThat(foreign.get("trace_id").asString()).matches("[0-9a-f]{32}");
      assertThat(foreign.get("span_id").asString()).matches("[0-9a-f]{16}");
      assertThat(foreign.get("entity").asString()).as("a URI").matches("[a-z]+:.+");
    }
    record
        .get("attributes")
        .forEach(
            attribute ->
                assertThat(attribute.get("key").asString())
                    .startsWith(STANDARD.get("attributeNamespace").asString()));
  }

  private static JsonNode read() {
    try (InputStream in =
        LogboekStandard.class.getResourceAsStream(
            "/logboek/logboek-dataverwerkingen-fields.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
