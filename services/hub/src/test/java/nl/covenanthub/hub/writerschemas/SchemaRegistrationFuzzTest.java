package nl.covenanthub.hub.writerschemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.hub.PartnerEventTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Whatever a partner posts to {@code /api/partner/schemas} as its writer schema, the hub's check
 * ends in a schema it can read events of, or in a refusal with a reason; never in an exception (a
 * 500). A body that is not a schema is refused without a word of it.
 *
 * <p>{@code mvn test} runs the seed corpus in {@code
 * src/test/resources/nl/covenanthub/hub/writerschemas/SchemaRegistrationFuzzTestInputs/} (the hub's
 * own schemas, an older and a newer partner schema, and refusals); {@code JAZZER_FUZZ=1} fuzzes
 * from it (docs/reliability.md).
 */
class SchemaRegistrationFuzzTest {
  private static final List<Schema> READERS = PartnerEventTypes.of(EventCatalog.standard());
  private static final WriterSchemas SCHEMAS = new WriterSchemas(READERS);
  private static final Map<String, Schema> BY_NAME =
      READERS.stream().collect(Collectors.toMap(Schema::getFullName, s -> s));
  private static final Path SEEDS =
      Path.of(
          "src/test/resources/nl/covenanthub/hub/writerschemas/SchemaRegistrationFuzzTestInputs",
          "anySchemaIsCompatibleOrRefusedWithAReason");

  @FuzzTest(maxDuration = "2m")
  void anySchemaIsCompatibleOrRefusedWithAReason(byte[] body) {
    SchemaRegistration.Checked checked = SchemaRegistration.checked(body, SCHEMAS);

    if (checked instanceof SchemaRegistration.Refused refused) {
      assertThat(refused.reason()).isNotEqualTo(SchemaRegistration.Reason.TOO_MANY);
      assertThat(refused.detail()).as("a refusal says why").isNotBlank();
      if (refused.reason() == SchemaRegistration.Reason.NOT_A_SCHEMA) {
        assertThat(refused.detail())
            .as("only where the JSON broke, never what it said")
            .matches(
                "the body is not an Avro schema in JSON \\((the JSON breaks off at line \\d+,"
                    + " column \\d+|it is JSON, but Avro's parser does not take it as a"
                    + " schema)\\)");
      }
      return;
    }
    SchemaRegistration.Compatible compatible = (SchemaRegistration.Compatible) checked;
    assertThat(SchemaNormalization.toParsingForm(compatible.writer()))
        .as("what is registered is the schema's canonical form")
        .isEqualTo(compatible.canonical());
    Schema reader = BY_NAME.get(compatible.writer().getFullName());
    assertThat(reader).as("a compatible schema is one of the hub's event types").isNotNull();
    try {
      // What decoding a partner's event written with it sets up: Avro's resolution of the two.
      DecoderFactory.get()
          .resolvingDecoder(
              compatible.writer(), reader, DecoderFactory.get().binaryDecoder(new byte[0], null));
    } catch (IOException e) {
      throw new AssertionError("a compatible schema Avro cannot resolve", e);
    }
  }

  /** The seeds stay what their names say, so that the fuzzer starts from real schemas. */
  @Test
  void theHubsOwnSchemasAndAnOlderOneAreCompatibleAndTheOthersRefused() throws IOException {
    Set<String> compatible =
        Set.of(
            "case-signal",
            "case-status-change",
            "case-reference",
            "withdrawal-acknowledgement",
            "erasure-request",
            "match-query",
            "case-signal-with-a-field-of-its-own");
    List<String> seen = new ArrayList<>();
    try (var seeds = Files.list(SEEDS)) {
      for (Path seed : seeds.toList()) {
        String name = seed.getFileName().toString();
        SchemaRegistration.Checked checked =
            SchemaRegistration.checked(Files.readAllBytes(seed), SCHEMAS);
        assertThat(checked)
            .as(name)
            .isInstanceOf(
                compatible.contains(name)
                    ? SchemaRegistration.Compatible.class
                    : SchemaRegistration.Refused.class);
        anySchemaIsCompatibleOrRefusedWithAReason(Files.readAllBytes(seed));
        seen.add(name);
      }
    }
    assertThat(seen).containsAll(compatible);
  }
}
