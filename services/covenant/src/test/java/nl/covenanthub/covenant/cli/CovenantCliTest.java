package nl.covenanthub.covenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CovenantCliTest {
  private static final Path COVENANTS = Path.of("../../covenants");
  private static final Path EXAMPLES = Path.of("../../docs/examples");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return CovenantCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void lintAcceptsThePartnersCovenants() {
    int exit =
        run(
            "lint",
            COVENANTS.resolve("zorg-en-veiligheid.yaml").toString(),
            COVENANTS.resolve("aanpak-ondermijning.yaml").toString());
    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("2 covenants valid");
  }

  @Test
  void lintPrintsEachProblemAsFileLineMessageAndFails(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken,
        Files.readString(COVENANTS.resolve("aanpak-ondermijning.yaml"))
            .replace(
                "      subject.name: pass\n      subject.birthDate: pass\n",
                "      subject.name: pass\n      subject.birthdate: pass\n")
            .replace(
                "      riskLevel: pass\n      narrative: {redact",
                "      concerns: pass\n      narrative: {redact"));
    Path malformed = dir.resolve("malformed.yaml");
    Files.writeString(malformed, "id: x\n  title: [\n");

    int exit = run("lint", broken.toString(), malformed.toString());

    assertThat(exit).isEqualTo(1);
    String[] lines = out.toString().split("\n");
    assertThat(lines)
        .as("one line per problem")
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).matches(".+\\.yaml:\\d+: .+"));
    assertThat(out.toString())
        .contains(
            broken
                + ":54: rule 'politie-signaal-aan-riec': unknown field 'subject.birthdate' in CaseSignal; did you mean subject.birthDate?")
        .contains(
            broken
                + ":56: rule 'politie-signaal-aan-riec': 'concerns' is special-category (AVG art. 9) data, "
                + "but purpose 'aanpak-ondermijning' names no legalBasis.specialCategories for it")
        .contains(malformed + ":2: malformed YAML");
  }

  @Test
  void previewShowsTheRecipientsViewWithRuleAndBasis() throws Exception {
    int exit =
        run(
            "preview",
            "--from",
            "politie",
            "--to",
            "riec",
            "--purpose",
            "aanpak-ondermijning",
            "--covenants",
            COVENANTS.toString(),
            "--at",
            "2026-11-29T10:00:00Z",
            EXAMPLES.resolve("politie-signaal-hennepteelt.json").toString());

    assertThat(exit).as("stderr: %s", err).isZero();
    JsonNode result = new ObjectMapper().readTree(out.toString());
    assertThat(result.get("decision").asText()).isEqualTo("DISCLOSED");
    assertThat(result.get("rules").get(0).asText()).isEqualTo("politie-signaal-aan-riec");
    assertThat(result.get("legalBasis").asText()).contains("Wpg art. 20");
    JsonNode view = result.get("view");
    assertThat(view.get("subject").get("bsn").asText())
        .as("pseudonymised")
        .isNotEqualTo("999991772")
        .matches("[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]{43}");
    assertThat(view.has("concerns")).as("no health data to the RIEC").isFalse();
    assertThat(view.get("company").get("kvkNumber").asText()).isEqualTo("12345678");
    assertThat(err.toString()).as("a missing key is said, not hidden").contains("random key");
  }

  @Test
  void previewSaysWhyAnEventIsWithheld() throws Exception {
    int exit =
        run(
            "preview",
            "--from",
            "politie",
            "--to",
            "veilig-thuis",
            "--purpose",
            "zorg-en-veiligheid",
            "--covenants",
            COVENANTS.toString(),
            "--at",
            "2026-11-29T10:00:00Z",
            EXAMPLES.resolve("politie-signaal-verward-gedrag.json").toString());

    assertThat(exit).isZero();
    JsonNode result = new ObjectMapper().readTree(out.toString());
    assertThat(result.get("decision").asText()).isEqualTo("WITHHELD");
    assertThat(result.get("reason").asText()).isEqualTo("NO_RULE");
    assertThat(result.has("view")).isFalse();
  }

  @Test
  void previewAtAMomentAfterTheCovenantEndsShowsItIsNotInForce() throws Exception {
    int exit =
        run(
            "preview",
            "--from",
            "politie",
            "--to",
            "lzn",
            "--purpose",
            "zorg-en-veiligheid",
            "--covenants",
            COVENANTS.toString(),
            "--at",
            "2029-01-01T12:00:00Z",
            EXAMPLES.resolve("politie-signaal-verward-gedrag.json").toString());
    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).get("reason").asText())
        .isEqualTo("COVENANT_ENDED");
  }

  @Test
  void previewRefusesAnEventThatDoesNotFitItsSchema(@TempDir Path dir) throws Exception {
    Path event = dir.resolve("event.json");
    Files.writeString(
        event, "{\"eventId\": \"x\", \"sender\": \"politie\", \"riskLevel\": \"EXTREEM\"}");
    int exit =
        run(
            "preview",
            "--from",
            "politie",
            "--to",
            "lzn",
            "--purpose",
            "zorg-en-veiligheid",
            "--covenants",
            COVENANTS.toString(),
            "--type",
            "CaseSignal",
            event.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("is required");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void registerListsEveryProcessingActivityWithItsRecipientsBasesCategoriesAndRetention()
      throws Exception {
    int exit = run("register", "--covenants", COVENANTS.toString());

    assertThat(exit).as("stderr: %s", err).isZero();
    JsonNode register = new ObjectMapper().readTree(out.toString());
    java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
    register.forEach(activity -> byId.put(activity.get("id").asText(), activity));
    assertThat(byId)
        .as("one activity per covenant version and purpose")
        .containsOnlyKeys(
            "urn:covenant-hub:processing-activity:aanpak-ondermijning-west-maas-en-waal:v1:aanpak-ondermijning",
            "urn:covenant-hub:processing-activity:zorg-en-veiligheid-west-maas-en-waal:v1:zorg-en-veiligheid",
            "urn:covenant-hub:processing-activity:zorg-en-veiligheid-west-maas-en-waal:v1:huiselijk-geweld");
    JsonNode undermining =
        byId.get(
            "urn:covenant-hub:processing-activity:aanpak-ondermijning-west-maas-en-waal:v1:aanpak-ondermijning");
    assertThat(undermining.get("covenantHash").asText()).hasSize(64);
    assertThat(undermining.get("controllers").toString()).contains("(politie)", "(riec)", "(lzn)");
    assertThat(undermining.get("retention").get("riec").asText()).isEqualTo("P5Y");
    assertThat(undermining.get("legalBases").toString())
        .as("the criminal-data basis, which the condition on concerns needs")
        .contains("AVG art. 10");
    assertThat(undermining.get("dataCategories").get("criminal (AVG art. 10) data").toString())
        .contains("concerns (tested in a condition)");
    assertThat(undermining.get("dataCategories").has("special-category (AVG art. 9) data"))
        .as("no health data under this purpose")
        .isFalse();
    assertThat(undermining.get("dataSubjects").toString()).contains("subject");
    JsonNode care =
        byId.get(
            "urn:covenant-hub:processing-activity:zorg-en-veiligheid-west-maas-en-waal:v1:zorg-en-veiligheid");
    assertThat(care.get("dataCategories").get("special-category (AVG art. 9) data").toString())
        .contains("concerns");
    assertThat(care.get("flows").toString()).contains("politie-signaal-zorg-aan-lzn");
  }
}
