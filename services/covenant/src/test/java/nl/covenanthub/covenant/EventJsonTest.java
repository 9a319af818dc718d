package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDate;
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
}
