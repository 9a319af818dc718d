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
        .hasMessage("missing required field sender");
    assertThatThrownBy(
            () ->
                EventJson.read(JSON.readTree("{\"bogus\": 1}"), TestEvents.schema("CaseReference")))
        .hasMessageStartingWith("event has no field 'bogus'");
  }
}
