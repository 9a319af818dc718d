package nl.covenanthub.covenant;

import static nl.covenanthub.covenant.TestCovenants.NOW;
import static nl.covenanthub.covenant.TestEvents.BSN;
import static nl.covenanthub.covenant.TestEvents.caseReference;
import static nl.covenanthub.covenant.TestEvents.caseSignal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partners' covenants deciding the flows of the brief, end to end through the compiled plans.
 */
class CovenantSetTest {
  private static CovenantSet covenants;

  @BeforeAll
  static void compile() throws Exception {
    covenants = TestCovenants.partnerCovenants();
  }

  private static Decision.Disclosed disclosed(Decision decision) {
    assertThat(decision).as("decision").isInstanceOf(Decision.Disclosed.class);
    return (Decision.Disclosed) decision;
  }

  private static Decision.Withheld withheld(Decision decision, Decision.Reason reason) {
    assertThat(decision).as("decision").isInstanceOf(Decision.Withheld.class);
    Decision.Withheld withheld = (Decision.Withheld) decision;
    assertThat(withheld.reason()).as("reason, detail: %s", withheld.detail()).isEqualTo(reason);
    return withheld;
  }

  @Test
  void policeSignalOfConfusedBehaviourReachesTheCareNetworkWithoutThePoliceNarrative() {
    GenericData.Record signal =
        caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "MIDDEN");
    Decision.Disclosed decision =
        disclosed(covenants.decide("politie", "lzn", "zorg-en-veiligheid", signal, NOW));
    GenericRecord view = decision.view();

    assertThat(((GenericRecord) view.get("subject")).get("bsn"))
        .as("BSN passes: the Wmo allows it")
        .isEqualTo(BSN);
    assertThat(view.get("narrative")).isEqualTo("[opvragen bij de contactpersoon van de politie]");
    assertThat(view.getSchema().getField("company"))
        .as("company is not named by the rule")
        .isNull();
    FieldPlan plan = decision.plan();
    assertThat(plan.ruleIds()).containsExactly("politie-signaal-zorg-aan-lzn");
    assertThat(plan.covenant().id()).isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
    assertThat(plan.legalBasis())
        .as("the police's own basis plus the art. 9, art. 10 and BSN bases")
        .startsWith("Wpg art. 20")
        .contains("AVG art. 9", "AVG art. 10", "Wabb art. 10");
    assertThat(plan.retention()).isEqualTo(Period.ofYears(2));
    // Two calendar years where the covenant is made: 00:30 in Amsterdam stays 00:30, across DST.
    assertThat(plan.retainUntil(Instant.parse("2026-03-28T23:30:00Z")))
        .contains(Instant.parse("2028-03-28T22:30:00Z"));
    assertThat(plan.transformedFields()).containsExactly("narrative");
    assertThat(plan.withheldFields()).contains("company.kvkNumber", "company.name");
  }

  @Test
  void aPartyThatRevokedItsParticipationNeitherSendsNorReceivesUnderThatVersion() throws Exception {
    List<LoadedCovenant> revoked =
        covenants.loaded().stream()
            .map(
                c ->
                    c.covenant().purpose("zorg-en-veiligheid").isPresent()
                        ? c.revokedBy(Set.of("lzn"))
                        : c)
            .toList();
    CovenantSet afterRevocation =
        CovenantSet.compile(revoked, TestEvents.CATALOG, TestCovenants.KEYS, TestCovenants.CLOCK);
    GenericData.Record signal =
        caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "MIDDEN");

    Decision.Withheld toLzn =
        withheld(
            afterRevocation.decide("politie", "lzn", "zorg-en-veiligheid", signal, NOW),
            Decision.Reason.PARTY_REVOKED);
    assertThat(toLzn.detail())
        .isEqualTo(
            "'lzn' revoked its participation in covenant 'zorg-en-veiligheid-west-maas-en-waal' v1");
    assertThat(toLzn.covenant())
        .get()
        .extracting(CovenantRef::id)
        .isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
    withheld(
        afterRevocation.decide(
            "lzn",
            "politie",
            "zorg-en-veiligheid",
            TestEvents.caseReference("lzn", "zorg-en-veiligheid"),
            NOW),
        Decision.Reason.PARTY_REVOKED);
    assertThat(covenants.decide("politie", "lzn", "zorg-en-veiligheid", signal, NOW).disclosed())
        .as("the set before the revocation is unchanged")
        .isTrue();
    Decision.Disclosed otherCovenant =
        disclosed(
            afterRevocation.decide(
                "politie",
                "lzn",
                "aanpak-ondermijning",
                caseSignal("politie", "aanpak-ondermijning", List.of("HENNEPTEELT"), "HOOG"),
                NOW));
    assertThat(otherCovenant.plan().covenant().id())
        .as("a revocation ends only that covenant's sharing")
        .isEqualTo("aanpak-ondermijning-west-maas-en-waal");
  }

  @Test
  void theSameSignalIsNotForVeiligThuisUnlessItIsAboutDomesticViolence() {
    GenericData.Record confused =
        caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "HOOG");
    withheld(
        covenants.decide("politie", "veilig-thuis", "zorg-en-veiligheid", confused, NOW),
        Decision.Reason.NO_RULE);

    GenericData.Record violence =
        caseSignal("politie", "huiselijk-geweld", List.of("HUISELIJK_GEWELD"), "HOOG");
    Decision.Disclosed toVeiligThuis =
        disclosed(covenants.decide("politie", "veilig-thuis", "huiselijk-geweld", violence, NOW));
    assertThat(toVeiligThuis.view().get("narrative"))
        .as("Veilig Thuis must assess safety: police narrative passes")
        .isEqualTo(violence.get("narrative"));
  }

  @Test
  void veiligThuisNarrativeNeverLeavesVeiligThuis() {
    GenericData.Record signal =
        caseSignal("veilig-thuis", "huiselijk-geweld", List.of("HUISELIJK_GEWELD"), "ACUUT");
    for (String recipient : covenants.recipients("veilig-thuis", "huiselijk-geweld")) {
      Decision decision =
          covenants.decide("veilig-thuis", recipient, "huiselijk-geweld", signal, NOW);
      if (decision instanceof Decision.Disclosed d) {
        assertThat(d.view().getSchema().getField("narrative"))
            .as("narrative to %s", recipient)
            .isNull();
        assertThat(d.plan().withheldFields()).contains("narrative");
      }
    }
    Decision lowRisk =
        covenants.decide(
            "veilig-thuis",
            "lzn",
            "huiselijk-geweld",
            caseSignal("veilig-thuis", "huiselijk-geweld", List.of("HUISELIJK_GEWELD"), "LAAG"),
            NOW);
    withheld(lowRisk, Decision.Reason.CONDITION_NOT_MET);
  }

  @Test
  void riecReceivesCannabisSignalsWithAPseudonymAndNoHealthData() {
    GenericData.Record signal =
        caseSignal("politie", "aanpak-ondermijning", List.of("HENNEPTEELT"), "HOOG");
    Decision.Disclosed decision =
        disclosed(covenants.decide("politie", "riec", "aanpak-ondermijning", signal, NOW));
    GenericRecord subject = (GenericRecord) decision.view().get("subject");

    assertThat(subject.get("bsn"))
        .as("pseudonym, not the BSN")
        .isNotEqualTo(BSN)
        .isEqualTo(
            Pseudonymiser.forRecipient(
                    "subject-key",
                    TestCovenants.KEYS,
                    "aanpak-ondermijning-west-maas-en-waal",
                    "riec",
                    "aanpak-ondermijning")
                .pseudonym(BSN));
    assertThat(decision.view().getSchema().getField("concerns"))
        .as("concerns reveal health: never to the RIEC")
        .isNull();
    assertThat(decision.view().get("narrative"))
        .isEqualTo("[opvragen bij de contactpersoon van de politie]");
    assertThat(((GenericRecord) decision.view().get("company")).get("kvkNumber"))
        .isEqualTo("12345678");
    assertThat(decision.plan().legalBasis())
        .doesNotContain("art. 9")
        .as("the condition on concerns tells the RIEC of a suspected offence: the art. 10 basis")
        .contains("AVG art. 10");

    GenericData.Record nuisance =
        caseSignal("politie", "aanpak-ondermijning", List.of("WOONOVERLAST"), "HOOG");
    withheld(
        covenants.decide("politie", "riec", "aanpak-ondermijning", nuisance, NOW),
        Decision.Reason.CONDITION_NOT_MET);
  }

  @Test
  void theMayorLearnsOfCannabisFarmsWithTheBirthYearOnly() {
    GenericData.Record signal =
        caseSignal("politie", "aanpak-ondermijning", List.of("HENNEPTEELT"), "MIDDEN");
    Decision.Disclosed decision =
        disclosed(covenants.decide("politie", "lzn", "aanpak-ondermijning", signal, NOW));
    GenericRecord subject = (GenericRecord) decision.view().get("subject");
    assertThat(subject.get("birthDate")).isEqualTo(1971);
    assertThat(subject.getSchema().getField("bsn")).isNull();
    assertThat(((GenericRecord) subject.get("address")).get("postcode")).isEqualTo("6658 AB");
  }

  @Test
  void theCareNetworkTellsThePoliceOnlyThatItIsInvolved() {
    Decision.Disclosed decision =
        disclosed(
            covenants.decide(
                "lzn",
                "politie",
                "zorg-en-veiligheid",
                caseReference("lzn", "zorg-en-veiligheid"),
                NOW));
    GenericRecord subject = (GenericRecord) decision.view().get("subject");
    assertThat(subject.get("bsn")).isNotEqualTo(BSN);
    Decision.Disclosed toRiec =
        disclosed(
            covenants.decide(
                "politie",
                "riec",
                "aanpak-ondermijning",
                caseSignal("politie", "aanpak-ondermijning", List.of("HENNEPTEELT"), "HOOG"),
                NOW));
    assertThat(subject.get("bsn"))
        .as("the police's pseudonym of the person is not the RIEC's: they cannot link them")
        .isNotEqualTo(((GenericRecord) toRiec.view().get("subject")).get("bsn"));
    assertThat(subject.getSchema().getField("address")).isNull();
    assertThat(((GenericRecord) decision.view().get("contact")).get("name"))
        .isEqualTo("wijkagent R. Jansen");
  }

  @Test
  void defaultDenyWithTheReasonForEveryMissingPermission() {
    GenericData.Record signal =
        caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "MIDDEN");
    withheld(
        covenants.decide("politie", "lzn", "handhaving", signal, NOW),
        Decision.Reason.UNKNOWN_PURPOSE);
    withheld(
        covenants.decide("politie", "riec", "zorg-en-veiligheid", signal, NOW),
        Decision.Reason.NOT_A_PARTY);
    withheld(
        covenants.decide("lzn", "veilig-thuis", "zorg-en-veiligheid", signal, NOW),
        Decision.Reason.NO_RULE);
    withheld(
        covenants.decide("riec", "politie", "aanpak-ondermijning", signal, NOW),
        Decision.Reason.NO_RULE);
  }

  @Test
  void nothingPassesOutsideTheValidityPeriod() {
    GenericData.Record signal =
        caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "MIDDEN");
    withheld(
        covenants.decide(
            "politie", "lzn", "zorg-en-veiligheid", signal, Instant.parse("2029-01-01T00:00:00Z")),
        Decision.Reason.COVENANT_ENDED);
    withheld(
        covenants.decide(
            "politie", "lzn", "zorg-en-veiligheid", signal, Instant.parse("2024-12-31T22:59:59Z")),
        Decision.Reason.COVENANT_NOT_IN_FORCE);
    disclosed(
        covenants.decide(
            "politie", "lzn", "zorg-en-veiligheid", signal, Instant.parse("2024-12-31T23:00:00Z")));
  }

  @Test
  void anEventOfAnotherSchemaIsWithheldNotMisread() {
    Schema foreign =
        Schema.createRecord(
            "CaseSignal",
            null,
            "elsewhere",
            false,
            List.of(new Schema.Field("narrative", Schema.create(Schema.Type.STRING))));
    GenericData.Record record = new GenericData.Record(foreign);
    record.put("narrative", "secret");
    withheld(
        covenants.decide("politie", "lzn", "zorg-en-veiligheid", record, NOW),
        Decision.Reason.SCHEMA_MISMATCH);
  }

  @Test
  void recipientsAreTheOtherPartiesOfThePurposesCovenant() {
    assertThat(covenants.recipients("politie", "zorg-en-veiligheid"))
        .containsExactly("lzn", "veilig-thuis");
    assertThat(covenants.recipients("politie", "aanpak-ondermijning"))
        .containsExactly("lzn", "riec", "odr");
    assertThat(covenants.recipients("politie", "onbekend")).isEmpty();
    assertThat(covenants.partners())
        .containsExactlyInAnyOrder("lzn", "politie", "veilig-thuis", "riec", "odr");
  }

  @Test
  void rulesThatBothApplyDiscloseTheUnionOfTheirFields() throws Exception {
    String yaml =
        TestCovenants.MINIMAL.replace(
            "retention:",
            """
          - id: hoog-risico-extra
            from: politie
            to: lzn
            purpose: zorg-en-veiligheid
            eventTypes: [CaseSignal]
            when:
              riskLevel: {in: [HOOG, ACUUT]}
            fields:
              subject.name: pass
              riskLevel: pass
        retention:""");
    CovenantSet set = TestCovenants.compile(yaml);
    Decision.Disclosed high =
        disclosed(
            set.decide(
                "politie",
                "lzn",
                "zorg-en-veiligheid",
                caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "HOOG"),
                NOW));
    assertThat(high.plan().ruleIds()).containsExactly("politie-aan-lzn", "hoog-risico-extra");
    assertThat(high.plan().disclosedFields())
        .containsExactly("caseReference", "subject.name", "riskLevel");

    Decision.Disclosed low =
        disclosed(
            set.decide(
                "politie",
                "lzn",
                "zorg-en-veiligheid",
                caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "LAAG"),
                NOW));
    assertThat(low.plan().ruleIds()).containsExactly("politie-aan-lzn");
    assertThat(low.view().getSchema().getField("riskLevel")).isNull();
  }

  @Test
  void aRuleThatOnlyDropsDisclosesNothing() throws Exception {
    CovenantSet set =
        TestCovenants.compile(
            TestCovenants.MINIMAL.replace(
                "      caseReference: pass\n      subject.name: pass\n",
                "      narrative: drop\n"));
    withheld(
        set.decide(
            "politie",
            "lzn",
            "zorg-en-veiligheid",
            caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "LAAG"),
            NOW),
        Decision.Reason.NO_FIELDS);
  }

  @Test
  void compilingRefusesAMissingKeyAndAnInvalidCovenant() {
    assertThatThrownBy(
            () ->
                CovenantSet.compile(
                    List.of(
                        TestCovenants.load(
                            TestCovenants.MINIMAL.replace(
                                "subject.name: pass", "subject.bsn: {pseudonymise: other-key}"))),
                    EventCatalog.standard(),
                    KeyRing.of(Map.of()),
                    TestCovenants.CLOCK))
        .isInstanceOf(CovenantException.class)
        .hasMessage("test.yaml:26: pseudonymisation key 'other-key' is not configured");
    assertThatThrownBy(
            () ->
                TestCovenants.compile(
                    TestCovenants.MINIMAL.replace("subject.name: pass", "narrative: pass")))
        .isInstanceOf(CovenantException.class)
        .hasMessageContaining("special-category");
  }
}
