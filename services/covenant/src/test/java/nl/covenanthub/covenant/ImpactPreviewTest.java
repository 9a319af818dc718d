package nl.covenanthub.covenant;

import static nl.covenanthub.covenant.TestCovenants.NOW;
import static nl.covenanthub.covenant.TestEvents.BSN;
import static nl.covenanthub.covenant.TestEvents.caseSignal;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.covenant.ImpactPreview.ChangedEvent;
import nl.covenanthub.covenant.ImpactPreview.FieldChange;
import nl.covenanthub.covenant.ImpactPreview.FieldCount;
import nl.covenanthub.covenant.ImpactPreview.Impact;
import nl.covenanthub.covenant.ImpactPreview.PairChange;
import nl.covenanthub.covenant.ImpactPreview.PairReplay;
import nl.covenanthub.covenant.ImpactPreview.Presence;
import nl.covenanthub.covenant.ImpactPreview.Sample;
import nl.covenanthub.covenant.ImpactPreview.TermChange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a proposed covenant version changes, rule by rule and replayed event by event. */
class ImpactPreviewTest {
  private static final String UNDERMINING = "aanpak-ondermijning";
  private static final PlanKey POLITIE_TO_LZN =
      new PlanKey("politie", "lzn", UNDERMINING, "CaseSignal");
  private static final PlanKey POLITIE_TO_RIEC =
      new PlanKey("politie", "riec", UNDERMINING, "CaseSignal");

  private static String undermining;

  @BeforeAll
  static void read() throws Exception {
    undermining = Files.readString(TestCovenants.COVENANTS_DIR.resolve(UNDERMINING + ".yaml"));
  }

  /** The undermining covenant with {@code replacements} (pairs of old, new text) made. */
  private static CovenantSet underminingWith(String... replacements) throws CovenantException {
    String yaml = undermining.replace("version: 1", "version: 2");
    for (int i = 0; i < replacements.length; i += 2) {
      assertThat(yaml).as("the covenant to edit").contains(replacements[i]);
      yaml = yaml.replace(replacements[i], replacements[i + 1]);
    }
    return TestCovenants.compile(yaml);
  }

  private static CovenantSet minimalWith(String old, String replacement) throws CovenantException {
    assertThat(TestCovenants.MINIMAL).contains(old);
    return TestCovenants.compile(TestCovenants.MINIMAL.replace(old, replacement));
  }

  private static final String LZN_BIRTH_YEAR =
      "      subject.name: pass\n      subject.birthDate: {generalise: year}\n";
  private static final String LZN_BIRTH_DATE =
      "      subject.name: pass\n      subject.birthDate: pass\n";
  private static final String RIEC_ADDRESS =
      "      subject.address: pass\n      riskLevel: pass\n      narrative";
  private static final String RIEC_POSTCODE_AREA =
      "      subject.address.postcode: {generalise: postcode-area}\n"
          + "      riskLevel: pass\n      narrative";

  /** Four police signals: two of cannabis, one of nuisance only, one of undermining. */
  private static List<Sample> policeSignals() {
    return List.of(
        new Sample("s1", "politie", UNDERMINING, signal("HENNEPTEELT")),
        new Sample("s2", "politie", UNDERMINING, signal("HENNEPTEELT")),
        new Sample("s3", "politie", UNDERMINING, signal("WOONOVERLAST")),
        new Sample("s4", "politie", UNDERMINING, signal("ONDERMIJNING")));
  }

  private static org.apache.avro.generic.GenericData.Record signal(String concern) {
    return caseSignal("politie", UNDERMINING, List.of(concern), "HOOG");
  }

  private static PairReplay replayOf(ImpactPreview preview, PlanKey key) {
    return preview.replay().stream()
        .filter(r -> r.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no replay of " + key + " in " + preview.replay()));
  }

  private static FieldCount count(PairReplay replay, String field) {
    return replay.fields().stream()
        .filter(f -> f.field().equals(field))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no count of " + field));
  }

  @Test
  void aFieldThatNowPassesInsteadOfItsYearIsWiderAndNamesTheSender() throws Exception {
    CovenantSet active =
        minimalWith(
            "      subject.name: pass\n",
            "      subject.name: pass\n      subject.birthDate: {generalise: year}\n");
    CovenantSet proposed =
        minimalWith(
            "      subject.name: pass\n",
            "      subject.name: pass\n      subject.birthDate: pass\n");

    ImpactPreview preview = ImpactPreview.of(active, proposed);

    assertThat(preview.pairs())
        .singleElement()
        .satisfies(
            pair -> {
              assertThat(pair.key())
                  .isEqualTo(new PlanKey("politie", "lzn", "zorg-en-veiligheid", "CaseSignal"));
              assertThat(pair.presence()).isEqualTo(Presence.KEPT);
              assertThat(pair.fields())
                  .containsExactly(
                      new FieldChange(
                          "subject.birthDate", "generalised to year", "passes", Impact.WIDER));
              assertThat(pair.terms()).isEmpty();
              assertThat(pair.impact()).isEqualTo(Impact.WIDER);
            });
    assertThat(preview.impact()).contains(Impact.WIDER);
    assertThat(preview.widenedSenders())
        .as("the party whose disclosure widens must accept")
        .containsExactly("politie");
  }

  @Test
  void aNewRuleIsANewPairAndWidensItsSender() throws Exception {
    CovenantSet active = TestCovenants.compile(TestCovenants.MINIMAL);
    CovenantSet proposed =
        minimalWith(
            "retention:\n",
            "  - id: lzn-aan-politie\n"
                + "    from: lzn\n"
                + "    to: politie\n"
                + "    purpose: zorg-en-veiligheid\n"
                + "    eventTypes: [CaseReference]\n"
                + "    fields:\n"
                + "      caseReference: pass\n"
                + "      contact.name: pass\n"
                + "retention:\n"
                + "  politie: P1Y\n");

    ImpactPreview preview = ImpactPreview.of(active, proposed);

    PairChange added =
        preview.pairs().stream()
            .filter(p -> p.presence() == Presence.ADDED)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no new pair in " + preview.pairs()));
    assertThat(added.key())
        .isEqualTo(new PlanKey("lzn", "politie", "zorg-en-veiligheid", "CaseReference"));
    assertThat(added.fields())
        .containsExactly(
            new FieldChange("caseReference", "withheld", "passes", Impact.WIDER),
            new FieldChange("contact.name", "withheld", "passes", Impact.WIDER));
    assertThat(added.impact()).isEqualTo(Impact.WIDER);
    assertThat(preview.widenedSenders()).containsExactly("lzn");
  }

  @Test
  void aRemovedFieldIsNarrowerAndWidensNoOne() throws Exception {
    CovenantSet active = TestCovenants.compile(TestCovenants.MINIMAL);
    CovenantSet proposed = minimalWith("      subject.name: pass\n", "");

    ImpactPreview preview = ImpactPreview.of(active, proposed);

    assertThat(preview.pairs())
        .singleElement()
        .satisfies(
            pair -> {
              assertThat(pair.fields())
                  .containsExactly(
                      new FieldChange("subject.name", "passes", "withheld", Impact.NARROWER));
              assertThat(pair.impact()).isEqualTo(Impact.NARROWER);
            });
    assertThat(preview.impact()).contains(Impact.NARROWER);
    assertThat(preview.widenedSenders()).isEmpty();
    assertThat(preview.partiesToAccept()).as("a version that only narrows").isEmpty();
    assertThat(preview.summary()).startsWith("pairs: 0 wider, 1 narrower, 0 changed;");
  }

  @Test
  void aRemovedRuleIsAPairThatDisappears() throws Exception {
    String rule = undermining.substring(undermining.indexOf("  - id: riec-status-aan-lzn\n"));
    rule = rule.substring(0, rule.indexOf("\nretention:"));
    ImpactPreview preview = ImpactPreview.of(underminingWith(), underminingWith(rule, ""));

    assertThat(preview.pairs())
        .singleElement()
        .satisfies(
            pair -> {
              assertThat(pair.key())
                  .isEqualTo(new PlanKey("riec", "lzn", UNDERMINING, "CaseStatusChange"));
              assertThat(pair.presence()).isEqualTo(Presence.REMOVED);
              assertThat(pair.fields())
                  .contains(
                      new FieldChange(
                          "subject.bsn",
                          "pseudonymised (key subject-key)",
                          "withheld",
                          Impact.NARROWER));
              assertThat(pair.impact()).isEqualTo(Impact.NARROWER);
            });
  }

  @Test
  void treatmentsAreOrderedByHowMuchOfTheValueTheyReveal() {
    Treatment pass = new Treatment.Pass();
    Treatment pseudonym = new Treatment.Pseudonymise("subject-key");
    Treatment shared = new Treatment.Pseudonymise("subject-key", "wijkteam", "Wmo art. 5.1.1");
    Treatment year = new Treatment.Generalise(Treatment.Generalisation.YEAR);
    Treatment area = new Treatment.Generalise(Treatment.Generalisation.POSTCODE_AREA);
    Treatment redacted = new Treatment.Redact("[weggelaten]");

    assertThat(ImpactPreview.compare(Set.of(pseudonym), Set.of(pass))).contains(Impact.WIDER);
    assertThat(ImpactPreview.compare(Set.of(pass), Set.of(pseudonym))).contains(Impact.NARROWER);
    assertThat(ImpactPreview.compare(Set.of(year), Set.of(pass))).contains(Impact.WIDER);
    assertThat(ImpactPreview.compare(Set.of(redacted), Set.of(area))).contains(Impact.WIDER);
    assertThat(ImpactPreview.compare(Set.of(), Set.of(redacted))).contains(Impact.WIDER);
    assertThat(ImpactPreview.compare(Set.of(pseudonym), Set.of())).contains(Impact.NARROWER);
    assertThat(ImpactPreview.compare(Set.of(pseudonym), Set.of(shared)))
        .as("a shared pseudonym lets recipients link")
        .contains(Impact.WIDER);
    assertThat(ImpactPreview.compare(Set.of(pseudonym), Set.of(area)))
        .as("neither is clearly more")
        .contains(Impact.CHANGED);
    assertThat(
            ImpactPreview.compare(
                Set.of(pseudonym), Set.of(new Treatment.Pseudonymise("other-key"))))
        .contains(Impact.CHANGED);
    assertThat(ImpactPreview.compare(Set.of(pass), Set.of(new Treatment.Pass()))).isEmpty();

    assertThat(ImpactPreview.words(pseudonym)).isEqualTo("pseudonymised (key subject-key)");
    assertThat(ImpactPreview.words(shared))
        .isEqualTo("pseudonymised (key subject-key, shared as wijkteam)");
    assertThat(ImpactPreview.words(year)).isEqualTo("generalised to year");
    assertThat(ImpactPreview.words(area)).isEqualTo("generalised to postcode area");
    assertThat(ImpactPreview.words(pass)).isEqualTo("passes");
  }

  @Test
  void identicalVersionsDifferInNothing() throws Exception {
    CovenantSet active = TestCovenants.partnerCovenants();
    CovenantSet proposed = TestCovenants.partnerCovenants();

    ImpactPreview preview = ImpactPreview.of(active, proposed, policeSignals(), NOW);

    assertThat(preview.pairs()).isEmpty();
    assertThat(preview.hasDifferences()).isFalse();
    assertThat(preview.impact()).isEmpty();
    assertThat(preview.widenedSenders()).isEmpty();
    assertThat(preview.eventsReplayed()).isEqualTo(4);
    assertThat(preview.eventsChanged()).isZero();
    assertThat(preview.replay()).allSatisfy(r -> assertThat(r.changed()).isEmpty());
    assertThat(preview.render())
        .startsWith(
            "pairs: 0 wider, 0 narrower, 0 changed; events replayed: 4, changed decision: 0\n")
        .contains("no difference in what any recipient receives");
  }

  @Test
  void theReplayCountsPerPairAndFieldHowManyEventsDiscloseIt() throws Exception {
    CovenantSet active = underminingWith();
    CovenantSet proposed =
        underminingWith(LZN_BIRTH_YEAR, LZN_BIRTH_DATE, RIEC_ADDRESS, RIEC_POSTCODE_AREA);

    ImpactPreview preview = ImpactPreview.of(active, proposed, policeSignals(), NOW);

    assertThat(preview.eventsReplayed()).isEqualTo(4);
    assertThat(preview.eventsChanged())
        .as("s1 and s2 for both recipients, s4 for the RIEC; s3 reaches no one")
        .isEqualTo(3);

    PairReplay toLzn = replayOf(preview, POLITIE_TO_LZN);
    assertThat(toLzn.events()).isEqualTo(4);
    assertThat(toLzn.disclosedActive()).as("only cannabis reaches the municipality").isEqualTo(2);
    assertThat(toLzn.disclosedProposed()).isEqualTo(2);
    assertThat(count(toLzn, "subject.birthDate"))
        .isEqualTo(new FieldCount("subject.birthDate", 2, 2, 2));
    assertThat(count(toLzn, "caseReference")).isEqualTo(new FieldCount("caseReference", 2, 2, 0));
    assertThat(toLzn.fields()).extracting(FieldCount::field).doesNotContain("subject.bsn");

    PairReplay toRiec = replayOf(preview, POLITIE_TO_RIEC);
    assertThat(toRiec.events()).isEqualTo(4);
    assertThat(toRiec.disclosedActive()).isEqualTo(3);
    assertThat(count(toRiec, "subject.address.street"))
        .isEqualTo(new FieldCount("subject.address.street", 3, 0, 3));
    assertThat(count(toRiec, "subject.address.postcode"))
        .as("disclosed under both, in another form")
        .isEqualTo(new FieldCount("subject.address.postcode", 3, 3, 3));
    assertThat(count(toRiec, "subject.bsn")).isEqualTo(new FieldCount("subject.bsn", 3, 3, 0));

    assertThat(toLzn.examples())
        .as("at most three per field")
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.field()).isEqualTo("subject.birthDate");
              assertThat(e.active()).isEqualTo("1*** (4 chars), generalised to year");
              assertThat(e.proposed()).isEqualTo("1*** (10 chars), passes");
            });
    assertThat(toRiec.examples())
        .filteredOn(e -> e.field().equals("subject.address.street"))
        .hasSize(3)
        .first()
        .satisfies(e -> assertThat(e.proposed()).isEqualTo("withheld"));
    assertThat(preview.widenedSenders()).containsExactly("politie");
    assertThat(preview.summary())
        .isEqualTo(
            "pairs: 1 wider, 1 narrower, 0 changed; events replayed: 4, changed decision: 3");
  }

  @Test
  void eventsThatChangeDecisionAreListedWithTheReasonTheyAreWithheld() throws Exception {
    CovenantSet active = underminingWith();
    CovenantSet proposed =
        underminingWith(
            "      concerns: {contains: HENNEPTEELT}", "      concerns: {contains: ONDERMIJNING}");

    ImpactPreview preview = ImpactPreview.of(active, proposed, policeSignals(), NOW);

    assertThat(preview.pairs())
        .singleElement()
        .satisfies(
            pair -> {
              assertThat(pair.key()).isEqualTo(POLITIE_TO_LZN);
              assertThat(pair.fields()).isEmpty();
              assertThat(pair.terms())
                  .containsExactly(
                      new TermChange(
                          "when",
                          "concerns contains HENNEPTEELT",
                          "concerns contains ONDERMIJNING",
                          Impact.CHANGED));
            });
    PairReplay toLzn = replayOf(preview, POLITIE_TO_LZN);
    assertThat(toLzn.changed()).extracting(ChangedEvent::sample).containsExactly("s1", "s2", "s4");
    ChangedEvent s1 = toLzn.changed().get(0);
    assertThat(s1.active().decision()).isEqualTo("DISCLOSED");
    assertThat(s1.proposed().decision()).isEqualTo("WITHHELD");
    assertThat(s1.proposed().reason()).contains(Decision.Reason.CONDITION_NOT_MET);
    assertThat(s1.lost()).contains("subject.name", "company.name");
    assertThat(s1.gained()).isEmpty();
    assertThat(s1.impact()).isEqualTo(Impact.NARROWER);
    ChangedEvent s4 = toLzn.changed().get(2);
    assertThat(s4.active().reason()).contains(Decision.Reason.CONDITION_NOT_MET);
    assertThat(s4.proposed().decision()).isEqualTo("DISCLOSED");
    assertThat(s4.gained()).contains("subject.name");
    assertThat(s4.impact()).isEqualTo(Impact.WIDER);
    assertThat(preview.impact())
        .as("the rules only changed, the replay shows they widen")
        .contains(Impact.WIDER);
    assertThat(preview.widenedSenders()).containsExactly("politie");
    ImpactPreview rulesOnly = ImpactPreview.of(active, proposed);
    assertThat(rulesOnly.widenedSenders())
        .as("without events, the rules alone show no widening")
        .isEmpty();
    assertThat(rulesOnly.partiesToAccept())
        .as("but a changed condition may widen, so its sender must accept")
        .containsExactly("politie");
    assertThat(preview.render())
        .contains(
            "s1: DISCLOSED -> WITHHELD (CONDITION_NOT_MET: the event meets the condition of none of"
                + " rules [politie-hennepteelt-aan-lzn]) [NARROWER]; loses eventId");
  }

  @Test
  void aConditionThatAllowsMoreValuesIsWider() throws Exception {
    ImpactPreview preview =
        ImpactPreview.of(
            underminingWith(),
            underminingWith(
                "      concerns: {contains: HENNEPTEELT}",
                "      concerns: {containsAny: [HENNEPTEELT, ONDERMIJNING]}"));

    assertThat(preview.pairs())
        .singleElement()
        .satisfies(
            pair ->
                assertThat(pair.terms())
                    .containsExactly(
                        new TermChange(
                            "when",
                            "concerns contains HENNEPTEELT",
                            "concerns contains any of [HENNEPTEELT, ONDERMIJNING]",
                            Impact.WIDER)));
    assertThat(preview.widenedSenders()).containsExactly("politie");
  }

  @Test
  void aLongerValidityOrRetentionIsWiderAShorterOneNarrower() throws Exception {
    CovenantSet active = TestCovenants.compile(TestCovenants.MINIMAL);
    ImpactPreview longer =
        ImpactPreview.of(active, minimalWith("until: 2028-12-31", "until: 2030-12-31"));
    ImpactPreview shorter = ImpactPreview.of(active, minimalWith("  lzn: P1Y", "  lzn: P6M"));

    assertThat(longer.pairs())
        .singleElement()
        .satisfies(
            pair ->
                assertThat(pair.terms())
                    .containsExactly(
                        new TermChange(
                            "in force",
                            "2025-01-01 to 2028-12-31",
                            "2025-01-01 to 2030-12-31",
                            Impact.WIDER)));
    assertThat(shorter.pairs())
        .singleElement()
        .satisfies(
            pair ->
                assertThat(pair.terms())
                    .containsExactly(new TermChange("retention", "P1Y", "P6M", Impact.NARROWER)));
  }

  @Test
  void aPartyThatRevokedItsParticipationLosesItsPairs() throws Exception {
    LoadedCovenant loaded = TestCovenants.load(TestCovenants.MINIMAL);
    CovenantSet active = TestCovenants.compile(TestCovenants.MINIMAL);
    CovenantSet proposed =
        CovenantSet.compile(
            List.of(loaded.revokedBy(Set.of("lzn"))),
            TestEvents.CATALOG,
            TestCovenants.KEYS,
            TestCovenants.CLOCK);

    ImpactPreview preview = ImpactPreview.of(active, proposed);

    assertThat(preview.pairs())
        .singleElement()
        .satisfies(
            pair -> {
              assertThat(pair.presence()).isEqualTo(Presence.REMOVED);
              assertThat(pair.impact()).isEqualTo(Impact.NARROWER);
            });
  }

  @Test
  void theOutputNeverShowsARawValueOfTheSampleEvents() throws Exception {
    CovenantSet active = underminingWith();
    CovenantSet proposed =
        underminingWith(
            LZN_BIRTH_YEAR,
            LZN_BIRTH_DATE,
            RIEC_ADDRESS,
            RIEC_POSTCODE_AREA,
            "      subject.birthDate: pass\n      subject.address: pass\n      company: pass\n",
            "      subject.birthDate: pass\n      subject.address: pass\n",
            "      subject.bsn: {pseudonymise: subject-key}\n      subject.name: pass\n",
            "      subject.bsn: {pseudonymise: subject-key}\n      subject.name: {redact: '[naam]'}\n");

    String text = ImpactPreview.of(active, proposed, policeSignals(), NOW).render();

    assertThat(text)
        .as("examples are there, masked")
        .contains("1*** (10 chars), passes", "B*** (18 chars), passes -> withheld", "redacted")
        .doesNotContain(
            BSN,
            "J. de Vries",
            "1971",
            "Dorpsstraat",
            "Beneden-Leeuwen",
            "6658",
            "Bakker Opslag",
            "12345678",
            "R. Jansen",
            "0900-8844",
            "Buren melden",
            "PL0600-2026-118734");
  }

  @Test
  void masksShowAtMostTheFirstCharacterAndTheLength() {
    assertThat(ImpactPreview.mask(BSN)).isEqualTo("9*** (9 chars)");
    assertThat(ImpactPreview.mask("J. de Vries")).isEqualTo("J*** (11 chars)");
    assertThat(ImpactPreview.mask("14"))
        .as("too short to show a character")
        .isEqualTo("*** (2 chars)");
    assertThat(ImpactPreview.mask((String) null)).isEqualTo("(empty)");
    assertThat(Optional.of(ImpactPreview.mask("x"))).contains("*** (1 char)");
  }
}
