package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsPlainJsonAndWritesItBack() throws Exception {
    JsonNode json =
        JSON.readTree(Path.of("../../docs/examples/politie-signaal-verward-gedrag.json").toFile());
    GenericData.Record signal = EventJson.read(json, TestEvents.schema("CaseSignal"));
    GenericRecord subject = (GenericRecord) signal.get("subject");
    assertThat(subject.get("birthDate")).isEqualTo((int) LocalDate.of(1971, 4, 12).toEpochDay());
    assertThat(signal.get("occurredAt"))
        .isEqualTo(java.time.Instant.parse("2026-11-28T22:41:00Z").toEpochMilli());
    assertThat(GenericData.get().validate(signal.getSchema(), signal))
        .as("a valid Avro record")
        .isTrue();
    assertThat(EventJson.write(signal)).isEqualTo(json);
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(
            () ->
                EventJson.read(
                    JSON.readTree("{\"eventId\": \"x\"}"), TestEvents.schema("CaseReference")))
        .hasMessage("sender is required");
    assertThatThrownBy(
            () ->
                EventJson.read(JSON.readTree("{\"bogus\": 1}"), TestEvents.schema("CaseReference")))
        .hasMessageStartingWith("event has no field 'bogus'");
  }

  @Test
  void everyProblemIsNamedByItsPathWithoutItsValue() throws Exception {
    JsonNode json =
        JSON.readTree(
            """
            {"eventId": "e1", "sender": "politie", "caseReference": "c1",
             "occurredAt": "gisteren", "purpose": "zorg-en-veiligheid",
             "subject": {"bsn": 999990019, "name": "Geheimnaam", "birthDate": "12-04-1971"},
             "concerns": ["VERWARD_GEDRAG", "GEHEIMSYMBOOL"], "riskLevel": "MIDDEN",
             "contact": {"name": "R. Jansen", "organisation": "Politie"},
             "999990019": "a key that is a value"}
            """);

    EventJson.Reading reading = EventJson.readAll(json, TestEvents.schema("CaseSignal"));

    assertThat(reading.record()).isEmpty();
    assertThat(reading.problems())
        .extracting(EventJson.FieldProblem::path)
        .containsExactlyInAnyOrder(
            "event", "occurredAt", "subject.bsn", "subject.birthDate", "concerns[1]");
    assertThat(reading.problems().toString())
        .doesNotContain("gisteren", "12-04-1971", "GEHEIMSYMBOOL", "999990019", "Geheimnaam");
  }

  /**
   * What a number or a date says is what the record holds, or it is a problem: Jackson would wrap
   * 4294967297 into an int as 1 and round 1.5 down, {@code toEpochDay()} of year 999999999 does not
   * fit an Avro date, and {@code toEpochMilli()} of it throws (an HTTP 500 before this was
   * checked).
   */
  @Test
  void numbersAndDatesAreNeverWrappedOrRoundedIntoRange() throws Exception {
    assertThat(problemsWith("/subject", "birthDate", "4294967297"))
        .containsExactly("subject.birthDate is out of range (-2147483648 to 2147483647)");
    assertThat(problemsWith("/subject", "birthDate", "\"+999999999-12-31\""))
        .containsExactly("subject.birthDate is a date too far from 1970");
    assertThat(problemsWith("", "occurredAt", "1.5"))
        .containsExactly("occurredAt must be a whole number");
    assertThat(problemsWith("", "occurredAt", "1e30"))
        .containsExactly("occurredAt must be a whole number");
    assertThat(problemsWith("", "occurredAt", "100000000000000000000"))
        .containsExactly(
            "occurredAt is out of range (-9223372036854775808 to 9223372036854775807)");
    assertThat(problemsWith("", "occurredAt", "\"+999999999-01-01T00:00:00Z\""))
        .containsExactly("occurredAt is an instant too far from 1970");
    assertThat(problemsWith("", "occurredAt", "1764326460000"))
        .as("a timestamp as epoch milliseconds, in range")
        .isEmpty();
  }

  /** The problems of the example signal with one field of the object at {@code at} replaced. */
  private static List<String> problemsWith(String at, String field, String json) throws Exception {
    JsonNode event =
        JSON.readTree(Path.of("../../docs/examples/politie-signaal-verward-gedrag.json").toFile());
    ((ObjectNode) event.at(at)).set(field, JSON.readTree(json));
    return EventJson.readAll(event, TestEvents.schema("CaseSignal")).problems().stream()
        .map(EventJson.FieldProblem::toString)
        .toList();
  }
}
