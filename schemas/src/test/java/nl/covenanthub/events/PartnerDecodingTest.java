package nl.covenanthub.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner decodes its own events with this artifact's generated classes, each time in a fresh JVM
 * ({@link PartnerDecoder}): Avro 1.12's class validator is global, so only a new JVM starts without
 * whatever an earlier test trusted. Avro trusts none of the generated classes out of the box; a
 * generated class trusts them all once it is used ({@link GeneratedClasses}), and the one-line
 * {@code GeneratedClasses.trust()} does the same for a program that never touches one.
 */
class PartnerDecodingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static Path event;
  private static Path schema;

  @BeforeAll
  static void aPartnerWroteAnEvent() throws IOException {
    CaseSignal signal =
        CaseSignal.newBuilder()
            .setEventId("4f1c2a9e-partner-test")
            .setSender("politie")
            .setCaseReference("PL0600-2026-000001")
            .setOccurredAt(Instant.parse("2026-11-28T22:41:00Z"))
            .setPurpose("zorg-en-veiligheid")
            .setSubject(
                Subject.newBuilder()
                    .setBsn("999990019")
                    .setName("J. de Vries")
                    .setBirthDate(LocalDate.of(1971, 4, 12))
                    .setAddress(null)
                    .build())
            .setConcerns(List.of(Concern.VERWARD_GEDRAG))
            .setRiskLevel(RiskLevel.MIDDEN)
            .setContact(
                Contact.newBuilder()
                    .setName("wijkagent R. Jansen")
                    .setOrganisation("Politie")
                    .build())
            .build();
    event = Files.write(dir.resolve("event.bin"), SingleObjectEncoding.bytes(signal));
    schema =
        Files.writeString(dir.resolve("CaseSignal.avsc"), CaseSignal.getClassSchema().toString());
  }

  @Test
  void theGeneratedClassDecodesWithoutAnySetup() throws Exception {
    assertThat(partner("generated-class"))
        .as("Avro trusts no generated class out of the box; CaseSignal trusts them when first used")
        .containsExactly(
            "trusted before: false", "decoded 4f1c2a9e-partner-test", "trusted after: true");
  }

  @Test
  void withoutTheSetupAvroRefusesTheGeneratedClassesItLoadsByName() throws Exception {
    List<String> lines = partner("schema-text");
    assertThat(lines).first().isEqualTo("trusted before: false");
    assertThat(lines.get(1))
        .as("what partners met before: Avro refuses to load the class the schema names")
        .startsWith("refused java.lang.SecurityException: Forbidden nl.covenanthub.events.");
    assertThat(lines).last().isEqualTo("trusted after: false");
  }

  @Test
  void theOneLineSetupIsWhatMakesItWork() throws Exception {
    assertThat(partner("schema-text-after-trust"))
        .containsExactly(
            "trusted before: false", "decoded 4f1c2a9e-partner-test", "trusted after: true");
  }

  /** Runs {@link PartnerDecoder} in a new JVM with this test's class path; its output lines. */
  private static List<String> partner(String how) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = Files.createTempFile(dir, how, ".out");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PartnerDecoder.class.getName(),
                how,
                event.toString(),
                schema.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the partner's JVM did not end within " + TIMEOUT);
    }
    List<String> lines =
        Files.readAllLines(output, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.startsWith("SLF4J"))
            .toList();
    assertThat(process.exitValue())
        .as("exit of the partner's JVM, which printed %s", lines)
        .isZero();
    return lines;
  }
}
