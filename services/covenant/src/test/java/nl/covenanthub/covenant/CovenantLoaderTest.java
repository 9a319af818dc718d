package nl.covenanthub.covenant;

import static nl.covenanthub.covenant.TestCovenants.MINIMAL;
import static nl.covenanthub.covenant.TestCovenants.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CovenantLoaderTest {

  @Test
  void readsTheModelWithLinesAndAContentHash() throws Exception {
    LoadedCovenant loaded = TestCovenants.load(MINIMAL);
    Covenant covenant = loaded.covenant();
    assertThat(covenant.id()).isEqualTo("test-covenant");
    assertThat(covenant.validity().until()).hasToString("2028-12-31");
    assertThat(covenant.rules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.fields()).containsOnlyKeys("caseReference", "subject.name");
              assertThat(rule.when()).isEmpty();
            });
    assertThat(loaded.lineOf("/rules/0/fields/subject.name")).isEqualTo(26);
    assertThat(loaded.contentHash()).as("sha-256 hex").hasSize(64);
    assertThat(loaded.source()).isEqualTo(MINIMAL);
  }

  @Test
  void theHashIsOfTheCanonicalFormNotOfTheLayout() throws CovenantException {
    String hash = TestCovenants.load(MINIMAL).contentHash();
    assertThat(TestCovenants.load("# a comment\n" + MINIMAL.replace("title: ", "title:   ")))
        .as("comments and spacing are layout, not content")
        .extracting(LoadedCovenant::contentHash)
        .isEqualTo(hash);
    assertThat(TestCovenants.load(MINIMAL.replace("caseReference: pass", "caseReference: 'pass'")))
        .as("quoting is layout too")
        .extracting(LoadedCovenant::contentHash)
        .isEqualTo(hash);
    assertThat(TestCovenants.load(MINIMAL.replace("2028-12-31", "2028-12-30")).contentHash())
        .as("any change of content is a different version")
        .isNotEqualTo(hash);
  }

  @Test
  void theHashIsSha256OfTheJsonCanonicalizationScheme() throws Exception {
    // RFC 8785: members sorted by key, no whitespace, strings escaped minimally.
    var tree =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree("{ \"b\": [1, \"\u00e9\"], \"a\": true }");
    String expected =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(
                        "{\"a\":true,\"b\":[1,\"é\"]}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(CovenantLoader.canonicalHash(tree)).isEqualTo(expected);
  }

  @Test
  void malformedYamlIsOneProblemWithItsLine() {
    List<Problem> problems =
        problems(MINIMAL.replace("  - id: politie\n", "  - id: politie\n   bad: [unclosed\n"));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).startsWith("malformed YAML");
              assertThat(p.line()).isBetween(11, 14);
            });
  }

  @Test
  void anEmptyFileSaysSo() {
    assertThat(problems(""))
        .extracting(Problem::toString)
        .containsExactly("test.yaml:1: the file is empty");
  }

  @Test
  void anAliasToACollectionThatHoldsItIsRefusedNotFollowedForever() {
    // Found by CovenantLoaderFuzzTest: such a file overflowed the stack.
    assertThat(problems("a: &loop [x, *loop]\nb: &map {k: *map}\n"))
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:1: an alias refers to a collection that holds it",
            "test.yaml:2: an alias refers to a collection that holds it");
  }

  @Test
  void aDuplicateKeyIsRefusedRatherThanSilentlyOverwritten() {
    List<Problem> problems =
        problems(
            MINIMAL.replace(
                "      subject.name: pass\n",
                "      subject.name: pass\n      caseReference: drop\n"));
    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly("test.yaml:27: duplicate key 'caseReference'");
  }

  @Test
  void shapeErrorsNameTheirLineAndField() {
    List<Problem> problems =
        problems(
            MINIMAL
                .replace("version: 1", "version: one")
                .replace("    from: politie", "    from: Politie Oost"));
    assertThat(problems).extracting(Problem::line).containsExactly(3, 20);
    assertThat(problems.get(0).message()).startsWith("version: ");
    assertThat(problems.get(1).message()).startsWith("rules.0.from: ");
  }

  @Test
  void anUnknownTreatmentListsTheValidOnes() {
    List<Problem> problems = problems(MINIMAL.replace("subject.name: pass", "subject.name: hash"));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(26);
              assertThat(p.message())
                  .contains(
                      "field 'subject.name' has no valid treatment", "{pseudonymise: KEY-REF}");
            });
  }

  @Test
  void aPseudonymSharedBetweenRecipientsNeedsItsBasis() {
    assertThat(
            problems(
                MINIMAL.replace(
                    "subject.name: pass",
                    "subject.name: {pseudonymise: subject-key, sharedAs: matching}")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(26);
              assertThat(p.message())
                  .contains("sharedAs 'matching'", "link their data", "(sharingBasis)");
            });
    assertThat(
            problems(
                MINIMAL.replace(
                    "subject.name: pass",
                    "subject.name: {pseudonymise: subject-key, sharingBasis: art. 4}")))
        .singleElement()
        .extracting(Problem::message)
        .asString()
        .contains("sharingBasis applies only to a pseudonym shared by sharedAs");
    assertThat(
            problems(
                MINIMAL.replace(
                    "subject.name: pass",
                    "subject.name: {pseudonymise: subject-key, sharedAs: matching,"
                        + " sharingBasis: 'convenant art. 7: matching door het RIEC'}")))
        .isEmpty();
  }

  @Test
  void aMissingRequiredPartIsNamed() {
    List<Problem> problems = problems(MINIMAL.replace("retention:\n  lzn: P1Y\n", ""));
    assertThat(problems)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("retention"));
  }

  @Test
  void anUnreadableFileIsAProblemNotACrash() {
    try {
      CovenantLoader.load(Path.of("does-not-exist.yaml"));
    } catch (CovenantException e) {
      assertThat(e.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.message()).startsWith("cannot read"));
      return;
    }
    throw new AssertionError("loading a missing file did not fail");
  }
}
