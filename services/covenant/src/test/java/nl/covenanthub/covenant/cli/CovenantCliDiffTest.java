package nl.covenanthub.covenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code covenant diff OLD.yaml NEW.yaml --events DIR}: what a new version would change. */
class CovenantCliDiffTest {
  private static final Path ACTIVE = Path.of("../../covenants/aanpak-ondermijning.yaml");
  private static final Path EVENTS = Path.of("src/test/resources/diff-events");
  private static final String AT = "2026-11-29T10:00:00Z";

  /** Every value of the sample events that could name or point at a person or a case. */
  private static final String[] RAW_VALUES = {
    "999991772",
    "999900043",
    "999990019",
    "999900031",
    "P. Bakker",
    "M. Visser",
    "J. de Vries",
    "K. Smit",
    "1983-09-30",
    "1990-02-17",
    "30-09-1966",
    "Industrieweg",
    "Kerkstraat",
    "6659 CE",
    "Wamel",
    "Druten",
    "Bakker Opslag",
    "12345678",
    "S. Kok",
    "R. Jansen",
    "Hennepkwekerij",
    "PL0600-2026-120011",
    "PL0600-2026-120342"
  };

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return CovenantCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** The active covenant as version 2 with {@code replacements} (pairs of old, new text) made. */
  private static Path proposed(Path dir, String... replacements) throws Exception {
    String yaml = Files.readString(ACTIVE).replace("version: 1", "version: 2");
    for (int i = 0; i < replacements.length; i += 2) {
      assertThat(yaml).as("the covenant to edit").contains(replacements[i]);
      yaml = yaml.replace(replacements[i], replacements[i + 1]);
    }
    Path file = dir.resolve("aanpak-ondermijning-v2.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void identicalVersionsShowNoDifferenceAndExitZero() {
    int exit =
        run(
            "diff",
            ACTIVE.toString(),
            ACTIVE.toString(),
            "--events",
            EVENTS.toString(),
            "--at",
            AT);

    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(out.toString())
        .startsWith(
            "pairs: 0 wider, 0 narrower, 0 changed; events replayed: 5, changed decision: 0;"
                + " event files skipped: 2")
        .contains("no difference in what any recipient receives")
        .contains("politie -> riec, aanpak-ondermijning, CaseSignal: 3 events, 2 disclosed");
  }

  @Test
  void aVersionThatGivesTheFullBirthDateWidensAndExitsThree(@TempDir Path dir) throws Exception {
    Path proposed =
        proposed(
            dir,
            "      subject.name: pass\n      subject.birthDate: {generalise: year}\n",
            "      subject.name: pass\n      subject.birthDate: pass\n");

    int exit =
        run(
            "diff",
            ACTIVE.toString(),
            proposed.toString(),
            "--events",
            EVENTS.toString(),
            "--at",
            AT);

    assertThat(exit).as("stderr: %s", err).isEqualTo(CovenantCli.Diff.WIDER);
    String report = out.toString();
    assertThat(report.lines().findFirst())
        .contains(
            "pairs: 1 wider, 0 narrower, 0 changed; events replayed: 5, changed decision: 2;"
                + " event files skipped: 2 (see the messages above)");
    assertThat(report)
        .contains("widened senders (each must accept): politie")
        .contains("politie -> lzn, aanpak-ondermijning, CaseSignal: WIDER")
        .containsPattern("subject\\.birthDate +generalised to year +passes +WIDER")
        .containsPattern("subject\\.birthDate +2 +2 +2")
        .contains(
            "02-hennepteelt.json subject.birthDate: 1*** (4 chars), generalised to year"
                + " -> 1*** (10 chars), passes");
    assertThat(report + err).doesNotContain(RAW_VALUES);
  }

  @Test
  void aVersionThatOnlyNarrowsExitsFour(@TempDir Path dir) throws Exception {
    Path proposed =
        proposed(
            dir,
            "      subject.address: pass\n      riskLevel: pass\n",
            "      subject.address.postcode: {generalise: postcode-area}\n      riskLevel: pass\n");

    int exit =
        run(
            "diff",
            ACTIVE.toString(),
            proposed.toString(),
            "--events",
            EVENTS.toString(),
            "--at",
            AT);

    assertThat(exit).as("stderr: %s", err).isEqualTo(CovenantCli.Diff.NOT_WIDER);
    assertThat(out.toString())
        .startsWith("pairs: 0 wider, 1 narrower, 0 changed;")
        .containsPattern("subject\\.address\\.street +passes +withheld +NARROWER")
        .containsPattern(
            "subject\\.address\\.postcode +passes +generalised to postcode area +NARROWER")
        .contains("6*** (7 chars), passes -> 6*** (4 chars), generalised to postcode area")
        .doesNotContain("widened senders");
    assertThat(out.toString() + err).doesNotContain(RAW_VALUES);
  }

  @Test
  void withoutEventsTheRulesAloneAreCompared(@TempDir Path dir) throws Exception {
    Path proposed = proposed(dir, "  riec: P5Y", "  riec: P7Y");

    int exit = run("diff", ACTIVE.toString(), proposed.toString(), "--at", AT);

    assertThat(exit).isEqualTo(CovenantCli.Diff.WIDER);
    assertThat(out.toString())
        .startsWith(
            // lzn -> riec: its niet-pluis signals and the case table's status changes.
            "pairs: 3 wider, 0 narrower, 0 changed; events replayed: 0, changed decision: 0\n")
        .containsPattern("\\(retention\\) +P5Y +P7Y +WIDER")
        .contains("widened senders (each must accept): lzn, politie");
  }

  @Test
  void aBadEventFileIsReportedByNameAndSkipped() {
    int exit =
        run(
            "diff",
            ACTIVE.toString(),
            ACTIVE.toString(),
            "--events",
            EVENTS.toString(),
            "--at",
            AT);

    assertThat(exit).isZero();
    assertThat(err.toString())
        .contains(
            EVENTS.resolve("90-bad-birth-date.json")
                + ": subject.birthDate is not a date (YYYY-MM-DD); skipped")
        .contains(
            EVENTS.resolve("91-not-json.json") + ": not valid JSON (line 2, column 1); skipped")
        .as("the bad file's values are not quoted")
        .doesNotContain("30-09-1966", "K. Smit");
    assertThat(out.toString()).contains("events replayed: 5").contains("event files skipped: 2");
  }

  @Test
  void anEnvelopeWithoutItsSenderIsSkipped(@TempDir Path dir) throws Exception {
    Files.copy(EVENTS.resolve("02-hennepteelt.json"), dir.resolve("a.json"));
    Files.writeString(
        dir.resolve("b.json"),
        Files.readString(EVENTS.resolve("02-hennepteelt.json"))
            .replace("\"sender\": \"politie\",\n  \"purpose\"", "\"purpose\""));

    int exit =
        run("diff", ACTIVE.toString(), ACTIVE.toString(), "--events", dir.toString(), "--at", AT);

    assertThat(exit).isZero();
    assertThat(err.toString()).contains("b.json: the envelope's sender must be text; skipped");
    assertThat(out.toString()).contains("events replayed: 1").contains("event files skipped: 1");
  }

  @Test
  void anInvalidNewVersionIsReportedAsFileLineMessageAndExitsOne(@TempDir Path dir)
      throws Exception {
    Path proposed =
        proposed(
            dir,
            "      subject.name: pass\n      subject.birthDate: {generalise: year}\n",
            "      subject.name: pass\n      subject.birthdate: pass\n");

    int exit = run("diff", ACTIVE.toString(), proposed.toString(), "--at", AT);

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString().lines())
        .singleElement()
        .isEqualTo(
            proposed
                + ":79: rule 'politie-hennepteelt-aan-lzn': unknown field 'subject.birthdate' in"
                + " CaseSignal; did you mean subject.birthDate?");
  }

  @Test
  void aMissingEventsDirectoryIsAUsageError() {
    int exit = run("diff", ACTIVE.toString(), ACTIVE.toString(), "--events", "no-such-dir");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("no events directory no-such-dir");
  }

  @Test
  void theHelpNamesTheEnvelopeAndTheExitCodes() {
    int exit = run("diff", "--help");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("OLD.yaml NEW.yaml")
        .contains("\"sender\": PARTY, \"purpose\": PURPOSE")
        .contains("Exit codes:")
        .containsPattern("3 +the new version widens a disclosure")
        .containsPattern("4 +differences, none wider");
  }
}
