package nl.covenanthub.covenant;

import static nl.covenanthub.covenant.TestCovenants.MINIMAL;
import static nl.covenanthub.covenant.TestCovenants.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * One test per thing the validator refuses, each checking the line and the message a person reads.
 */
class CovenantValidatorTest {

  private static String withFields(String fields) {
    return MINIMAL.replace("      caseReference: pass\n      subject.name: pass\n", fields);
  }

  private static void assertSingleProblem(String yaml, int line, String... fragments) {
    List<Problem> problems = problems(yaml);
    assertThat(problems).as("problems of %s", yaml).hasSize(1);
    assertThat(problems.get(0).line()).as("line of: %s", problems.get(0)).isEqualTo(line);
    assertThat(problems.get(0).message()).contains(fragments);
  }

  private static String withMatching(String bsnBasis, String matching) {
    return MINIMAL.replace(
        "      general: AVG art. 6 lid 1 sub e\n",
        "      general: AVG art. 6 lid 1 sub e\n" + bsnBasis + matching);
  }

  @Test
  void acceptsMatchingWithItsOwnBasisForAtMostTwoYears() throws Exception {
    String yaml =
        withMatching(
            "      bsn: Wabb art. 10\n",
            "    matching:\n      legalBasis: Wmo 2015 art. 5.2.1\n" + "      keepFor: P2Y\n");
    assertThat(problems(yaml)).isEmpty();
    assertThat(
            TestCovenants.load(yaml)
                .covenant()
                .purpose("zorg-en-veiligheid")
                .orElseThrow()
                .matching())
        .contains(new Matching("Wmo 2015 art. 5.2.1", java.time.Period.ofYears(2)));
  }

  @Test
  void refusesMatchingLongerThanTheVerwijsindexOrWithoutABasisForTheBsn() {
    String tooLong =
        withMatching(
            "      bsn: Wabb art. 10\n",
            "    matching:\n      legalBasis: Wmo 2015 art. 5.2.1\n" + "      keepFor: P3Y\n");
    assertSingleProblem(tooLong, 21, "keeps a signal for P3Y", "at most P2Y");
    String noBsnBasis =
        withMatching(
            "", "    matching:\n      legalBasis: Wmo 2015 art. 5.2.1\n" + "      keepFor: P1Y\n");
    assertSingleProblem(noBsnBasis, 18, "compares data subjects by their BSN", "legalBasis.bsn");
    String blankBasis =
        withMatching(
            "      bsn: Wabb art. 10\n",
            "    matching:\n      legalBasis: \" \"\n      keepFor: P1Y\n");
    assertSingleProblem(blankBasis, 20, "needs a legal basis of its own");
  }

  @Test
  void aValidCovenantHasNoProblems() {
    assertThat(problems(MINIMAL)).isEmpty();
  }

  @Test
  void thePartnersCovenantsAreValid() throws Exception {
    assertThat(TestCovenants.partnerCovenants().covenants()).hasSize(2);
  }

  @Test
  void refusesAnUnknownFieldPathAndSuggestsTheRightOne() {
    assertSingleProblem(
        withFields("      caseReference: pass\n      subject.postcode: pass\n"),
        26,
        "unknown field 'subject.postcode' in CaseSignal",
        "did you mean subject.address.postcode");
  }

  @Test
  void refusesAnUnknownSenderRecipientAndPurpose() {
    List<Problem> problems =
        problems(
            MINIMAL
                .replace("    from: politie", "    from: boa")
                .replace("    to: lzn", "    to: riec")
                .replace("    purpose: zorg-en-veiligheid", "    purpose: handhaving"));
    assertThat(problems).extracting(Problem::line).contains(20, 21, 22);
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("sender 'boa' is not a party"))
        .anySatisfy(m -> assertThat(m).contains("recipient 'riec' is not a party"))
        .anySatisfy(
            m -> assertThat(m).contains("purpose 'handhaving' is not a purpose of this covenant"));
  }

  @Test
  void refusesACoordinatorWhoIsNotAParty() {
    assertSingleProblem(
        MINIMAL.replace("coordinator: lzn", "coordinator: riec"),
        7,
        "coordinator 'riec' is not one of the parties");
  }

  @Test
  void refusesAnUnknownEventType() {
    assertSingleProblem(
        MINIMAL.replace("[CaseSignal]", "[CaseSignal, Incident]"),
        23,
        "unknown event type 'Incident'");
  }

  @Test
  void refusesSpecialCategoryDataWithoutItsOwnBasis() {
    List<Problem> problems =
        problems(withFields("      caseReference: pass\n      narrative: pass\n"));
    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:26: rule 'politie-aan-lzn': 'narrative' is special-category (AVG art. 9) data, "
                + "but purpose 'zorg-en-veiligheid' names no legalBasis.specialCategories for it",
            "test.yaml:26: rule 'politie-aan-lzn': 'narrative' is criminal (AVG art. 10) data, "
                + "but purpose 'zorg-en-veiligheid' names no legalBasis.criminalData for it");
  }

  @Test
  void refusesCriminalDataWithoutItsOwnBasis() {
    String withArt9Only =
        withFields("      concerns: pass\n")
            .replace(
                "      general: AVG art. 6 lid 1 sub e\n",
                "      general: AVG art. 6 lid 1 sub e\n      specialCategories: AVG art. 9 lid 2 sub g\n");
    List<Problem> problems = problems(withArt9Only);
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message())
                  .contains("'concerns' is criminal (AVG art. 10) data", "legalBasis.criminalData");
              assertThat(p.line()).isEqualTo(26);
            });
  }

  @Test
  void acceptsSensitiveDataWhenTheRuleNamesTheBasis() {
    String ruleBasis =
        withFields("      narrative: pass\n")
            .replace(
                "    eventTypes: [CaseSignal]\n",
                "    eventTypes: [CaseSignal]\n    legalBasis:\n      general: Wpg art. 20\n"
                    + "      specialCategories: AVG art. 9 lid 2 sub g\n      criminalData: Wpg art. 20\n");
    assertThat(problems(ruleBasis)).isEmpty();
  }

  @Test
  void redactingSensitiveDataNeedsNoBasisBecauseNothingIsRevealed() {
    assertThat(problems(withFields("      narrative: {redact: \"[zie contactpersoon]\"}\n")))
        .isEmpty();
  }

  @Test
  void refusesTheBsnInClearWithoutALawButAcceptsItsPseudonym() {
    assertSingleProblem(
        withFields("      subject.bsn: pass\n"),
        25,
        "'subject.bsn' is BSN data",
        "pseudonymise it instead");
    assertSingleProblem(withFields("      subject: pass\n"), 25, "'subject.bsn' is BSN data");
    assertThat(problems(withFields("      subject.bsn: {pseudonymise: subject-key}\n"))).isEmpty();
    assertSingleProblem(
        withFields("      subject.bsn: {generalise: postcode-area}\n"),
        25,
        "'subject.bsn' is BSN data");
  }

  @Test
  void refusesPseudonymisationWithoutAKeyReference() {
    assertSingleProblem(
        withFields("      subject.bsn: {pseudonymise: }\n"),
        25,
        "pseudonymise needs a key reference");
    assertSingleProblem(
        withFields("      subject.bsn: {pseudonymise: \"  \"}\n"),
        25,
        "pseudonymise needs a key reference");
  }

  @Test
  void refusesATreatmentThatDoesNotFitTheFieldType() {
    assertSingleProblem(
        withFields("      subject.birthDate: {generalise: postcode-area}\n"),
        25,
        "generalise to postcode-area applies to text fields, not date");
    assertSingleProblem(
        withFields("      subject: {redact: x}\n"), 25, "'subject' is a record: only pass or drop");
  }

  @Test
  void refusesContradictingOverlappingRules() {
    String twoRules =
        MINIMAL.replace(
            "retention:",
            """
          - id: politie-aan-lzn-ook
            from: politie
            to: lzn
            purpose: zorg-en-veiligheid
            eventTypes: [CaseSignal, CaseReference]
            fields:
              subject.name: drop
        retention:"""
                .stripIndent()
                .indent(0)
                .replace("\n  -", "\n  -"));
    List<Problem> problems = problems(twoRules);
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message())
                  .contains(
                      "rule 'politie-aan-lzn-ook' gives 'subject.name' treatment drop",
                      "rule 'politie-aan-lzn' (line 19)");
              assertThat(p.line()).isEqualTo(33);
            });
  }

  @Test
  void acceptsOverlappingRulesThatAgreeAndRulesWhoseConditionsExcludeEachOther() {
    String agreeing =
        MINIMAL.replace(
            "retention:",
            """
          - id: ook-status
            from: politie
            to: lzn
            purpose: zorg-en-veiligheid
            eventTypes: [CaseSignal]
            fields:
              subject.name: pass
              riskLevel: pass
        retention:""");
    assertThat(problems(agreeing)).as("overlap, same treatment").isEmpty();

    String exclusive =
        MINIMAL
            .replace(
                "    eventTypes: [CaseSignal]\n    fields:",
                "    eventTypes: [CaseSignal]\n    when:\n      riskLevel: {in: [LAAG, MIDDEN]}\n    fields:")
            .replace(
                "retention:",
                """
          - id: alleen-hoog
            from: politie
            to: lzn
            purpose: zorg-en-veiligheid
            eventTypes: [CaseSignal]
            when:
              riskLevel: {equals: HOOG}
            fields:
              subject.name: {redact: "[naam bekend]"}
        retention:""");
    assertThat(problems(exclusive)).as("conditions cannot both hold").isEmpty();
  }

  @Test
  void refusesAnEmptyOrEndedValidityPeriod() {
    assertSingleProblem(
        MINIMAL.replace("until: 2028-12-31", "until: 2024-12-31"),
        6,
        "validity period is empty: until 2024-12-31 is before from 2025-01-01");
    assertSingleProblem(
        MINIMAL
            .replace("from: 2025-01-01", "from: 2020-01-01")
            .replace("until: 2028-12-31", "until: 2022-12-31"),
        6,
        "validity period ended on 2022-12-31");
  }

  @Test
  void refusesConditionsThatCannotHold() {
    String when =
        MINIMAL.replace(
            "    fields:",
            "    when:\n      concerns: {equals: WOONOVERLAST}\n      riskLevel: {in: [HOOG, WILD]}\n    fields:");
    List<Problem> problems = problems(when);
    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:25: rule 'politie-aan-lzn': 'equals' tests a single value, but 'concerns' is a list: use contains or containsAny",
            "test.yaml:26: rule 'politie-aan-lzn': 'WILD' is not a value of riskLevel; it is one of [LAAG, MIDDEN, HOOG, ACUUT]");
  }

  @Test
  void aFieldTestedInWhenCountsAsDisclosedForItsLegalBasis() {
    String health =
        MINIMAL.replace(
            "    fields:", "    when:\n      concerns: {contains: VERWARD_GEDRAG}\n    fields:");
    assertSingleProblem(
        health,
        25,
        "'concerns' is tested in this rule's when",
        "counts as disclosing it",
        "special-category (AVG art. 9) data, but purpose 'zorg-en-veiligheid' names no"
            + " legalBasis.specialCategories");
    assertThat(
            problems(
                health.replace(
                    "general: AVG art. 6 lid 1 sub e",
                    "general: AVG art. 6 lid 1 sub e\n      specialCategories: AVG art. 9 lid 2 sub h")))
        .as("with the basis for it")
        .isEmpty();

    String offence =
        MINIMAL.replace(
            "    fields:",
            "    when:\n      concerns: {containsAny: [HENNEPTEELT, ONDERMIJNING]}\n    fields:");
    assertSingleProblem(offence, 25, "criminal", "legalBasis.criminalData");
    assertThat(
            problems(
                MINIMAL.replace(
                    "    fields:",
                    "    when:\n      concerns: {contains: WOONOVERLAST}\n    fields:")))
        .as("a concern that reveals nothing sensitive needs no basis of its own")
        .isEmpty();
    assertSingleProblem(
        MINIMAL.replace(
            "    fields:", "    when:\n      subject.bsn: {equals: \"999990019\"}\n    fields:"),
        25,
        "'subject.bsn' is tested in this rule's when",
        "legalBasis.bsn");
  }

  /** A future event type with a list of persons: their BSNs are inside the array. */
  private static final Schema HOUSEHOLD =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "HouseholdSignal", "namespace": "test", "fields": [
                {"name": "eventId", "type": "string"},
                {"name": "sender", "type": "string"},
                {"name": "caseReference", "type": "string"},
                {"name": "purpose", "type": "string"},
                {"name": "notes", "type": {"type": "array", "items": "string"}, "avg": ["art9"]},
                {"name": "persons", "type": {"type": "array", "items": {"type": "record",
                  "name": "Person", "fields": [{"name": "bsn", "type": "string", "avg": ["bsn"]}]}}}
              ]}""");

  @Test
  void aContainerOfRecordsCannotPassBecauseTheCoreDoesNotLookInside() throws Exception {
    String yaml =
        MINIMAL
            .replace("eventTypes: [CaseSignal]", "eventTypes: [HouseholdSignal]")
            .replace("      subject.name: pass\n", "      persons: pass\n");
    CovenantValidator validator = new CovenantValidator(new EventCatalog(List.of(HOUSEHOLD)));
    List<Problem> problems = validator.validate(TestCovenants.load(yaml), TestCovenants.TODAY);
    assertThat(problems)
        .singleElement()
        .extracting(Problem::message)
        .asString()
        .contains("'persons' is an array, map or union that holds records", "drop it");
    assertThat(
            validator.validate(
                TestCovenants.load(yaml.replace("persons: pass", "persons: drop")),
                TestCovenants.TODAY))
        .as("dropped, it passes nothing")
        .isEmpty();
    assertThat(
            validator.validate(
                TestCovenants.load(yaml.replace("persons: pass", "notes: pass")),
                TestCovenants.TODAY))
        .as("a list of plain values carries its marks on the field: art. 9 is asked for")
        .singleElement()
        .extracting(Problem::message)
        .asString()
        .contains("'notes' is special-category");
  }

  @Test
  void refusesARecipientWithoutRetentionAndRetentionForAStranger() {
    List<Problem> problems = problems(MINIMAL.replace("  lzn: P1Y", "  riec: P1Y"));
    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactlyInAnyOrder(
            "test.yaml:21: recipient 'lzn' has no retention period under 'retention'",
            "test.yaml:28: retention for 'riec', which is not a party");
  }

  @Test
  void refusesDuplicateIds() {
    assertThat(problems(MINIMAL.replace("  - id: politie\n", "  - id: lzn\n")))
        .anySatisfy(p -> assertThat(p.message()).isEqualTo("party 'lzn' is listed twice"));
  }

  @Test
  void refusesAPurposeClaimedByTwoCovenants() throws Exception {
    LoadedCovenant first = TestCovenants.load(MINIMAL);
    LoadedCovenant second =
        TestCovenants.load(MINIMAL.replace("id: test-covenant", "id: other-covenant"));
    assertThat(CovenantValidator.validateTogether(List.of(first, second)))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains(
                        "purpose 'zorg-en-veiligheid' is also a purpose of covenant 'test-covenant'"));
  }
}
