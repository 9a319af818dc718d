package nl.covenanthub.console.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.console.CsvRows;
import nl.covenanthub.console.audit.Disclosure;
import nl.covenanthub.console.audit.SubjectPseudonyms;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

/**
 * The Art. 15 report from the audit index as ingested: one person's records only, all of them, and
 * as CSV.
 */
class SubjectReportTest extends ConsoleTestBase {
  static final String PERSON = "999990019";
  static final String SOMEONE_ELSE = "999991772";

  @Autowired SubjectReports reports;

  @Test
  void theReportHoldsEveryDecisionAboutThePersonAndNoOneElse() {
    AuditTrail politie = AuditTrail.of("politie");
    AuditTrail lzn = AuditTrail.of("lzn");
    Instant day = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.DAYS);
    ingest(
        List.of(
            politie.next(r -> r.setDecidedAt(day).setCaseReference("PL-1")),
            politie.next(
                r ->
                    r.setDecidedAt(day.plusSeconds(60))
                        .setCaseReference("PL-1")
                        .setRecipient("veilig-thuis")
                        .setDecision(AuditDecision.WITHHELD)
                        .setReason("NO_RULE")
                        .setDisclosedFields(List.of())
                        .setTransformedFields(List.of())
                        .setWithheldFields(List.of())),
            // A refused event the hub could still decode keeps its subject (SENDER_MISMATCH).
            politie.next(
                r ->
                    r.setDecidedAt(day.plusSeconds(90))
                        .setCaseReference("PL-3")
                        .setRecipient(null)
                        .setDecision(AuditDecision.REJECTED)
                        .setReason("SENDER_MISMATCH")
                        .setRuleIds(List.of())
                        .setDisclosedFields(List.of())
                        .setTransformedFields(List.of())
                        .setWithheldFields(List.of())),
            politie.next(
                r ->
                    r.setDecidedAt(day.plusSeconds(120))
                        .setCaseReference("PL-2")
                        .setSubjectPseudonym(AuditTrail.SUBJECTS.pseudonym(SOMEONE_ELSE))),
            lzn.next(
                r ->
                    r.setDecidedAt(day.plusSeconds(180))
                        .setSender("lzn")
                        .setRecipient("politie")
                        .setCaseReference("LZN-1")
                        .setRuleIds(List.of("lzn-betrokkenheid-aan-politie"))
                        .setDisclosedFields(List.of("caseReference", "subject.name"))
                        .setTransformedFields(List.of("subject.bsn")))));

    SubjectReport report = reports.about(AuditTrail.SUBJECTS.pseudonym(PERSON));

    assertThat(report.disclosed())
        .as("disclosed, newest first")
        .extracting(Disclosure::caseReference, Disclosure::recipient)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("LZN-1", "politie"),
            org.assertj.core.groups.Tuple.tuple("PL-1", "lzn"));
    assertThat(report.notDisclosed())
        .as("not disclosed")
        .extracting(Disclosure::recipient, Disclosure::decision, Disclosure::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, AuditDecision.REJECTED, "SENDER_MISMATCH"),
            org.assertj.core.groups.Tuple.tuple("veilig-thuis", AuditDecision.WITHHELD, "NO_RULE"));
    assertThat(report.recipients()).containsExactly("lzn", "politie");
    assertThat(report.madeAt()).as("made at the console's clock").isEqualTo(clock.instant());
  }

  /**
   * While the subject key is rotated, the console holds the new and the previous key: a BSN then
   * finds the person's records made under either, and nobody else's.
   */
  @Test
  void duringAKeyRotationTheReportFindsRecordsUnderTheNewAndThePreviousKey() {
    byte[] previous = new byte[32];
    byte[] current = new byte[32];
    java.util.Arrays.fill(previous, (byte) 1);
    java.util.Arrays.fill(current, (byte) 2);
    Pseudonymiser before =
        Pseudonymiser.forAuditSubject("subject-key", KeyRing.of(Map.of("subject-key", previous)));
    SubjectPseudonyms overlap =
        new SubjectPseudonyms(
            Pseudonymiser.forAuditSubjectEveryVersion(
                "subject-key",
                KeyRing.ofVersions(Map.of("subject-key", List.of(current, previous)))));
    Pseudonymiser after =
        Pseudonymiser.forAuditSubjectEveryVersion(
                "subject-key", KeyRing.ofVersions(Map.of("subject-key", List.of(current))))
            .get(0);
    AuditTrail politie = AuditTrail.of("politie");
    ingest(
        List.of(
            politie.next(
                r -> r.setCaseReference("OLD-KEY").setSubjectPseudonym(before.pseudonym(PERSON))),
            politie.next(
                r -> r.setCaseReference("NEW-KEY").setSubjectPseudonym(after.pseudonym(PERSON))),
            politie.next(
                r ->
                    r.setCaseReference("SOMEONE-ELSE")
                        .setSubjectPseudonym(after.pseudonym(SOMEONE_ELSE)))));

    SubjectReport report = reports.about(overlap.of(PERSON));

    assertThat(report.disclosed())
        .extracting(Disclosure::caseReference)
        .containsExactlyInAnyOrder("OLD-KEY", "NEW-KEY");
    assertThat(before.keyId()).as("each pseudonym names its key").isNotEqualTo(after.keyId());
    assertThat(reports.about(after.pseudonym(PERSON)).disclosed())
        .as("the new key alone finds only what it made")
        .extracting(Disclosure::caseReference)
        .containsExactly("NEW-KEY");
  }

  @Autowired MessageSource messages;

  /**
   * The Art. 15 answer a person can read: one sentence per who, to whom, why and on what ground.
   */
  @Test
  void theLetterTellsInPlainDutchWhoSharedWhatWithWhomWhyAndOnWhatGround() {
    AuditTrail politie = AuditTrail.of("politie");
    Instant may12 = Instant.parse("2026-05-12T09:00:00Z");
    ingest(
        List.of(
            politie.next(r -> r.setDecidedAt(may12)),
            politie.next(r -> r.setDecidedAt(may12.plus(22, ChronoUnit.DAYS))),
            politie.next(
                r ->
                    r.setDecidedAt(may12.plusSeconds(60))
                        .setRecipient("veilig-thuis")
                        .setDecision(AuditDecision.WITHHELD)
                        .setReason("NO_RULE")
                        .setDisclosedFields(List.of())
                        .setTransformedFields(List.of())
                        .setWithheldFields(List.of()))));
    SubjectReport report = reports.about(AuditTrail.SUBJECTS.pseudonym(PERSON));
    ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");

    SubjectLetter dutch = SubjectLetter.of(report, messages, SubjectLetter.DUTCH, amsterdam);
    assertThat(dutch.title()).isEqualTo("Welke gegevens over u zijn gedeeld");
    assertThat(dutch.sentences())
        .containsExactly(
            "De politie heeft op 12 mei 2026 en 3 juni 2026 het kenmerk van uw dossier, uw"
                + " burgerservicenummer, uw naam, uw geboortedatum, waar uw zaak over gaat en een"
                + " toelichting van de medewerker (vervangen door een code of ingekort) gedeeld met"
                + " het Lokaal Zorgnetwerk van de gemeente, voor hulp bij verward gedrag of overlast"
                + " (zorg en veiligheid), op grond van Wpg art. 20; AVG art. 6(1)(e).");
    assertThat(dutch.withheld()).contains("1 berichten over u", "niet zijn doorgegeven");
    assertThat(String.join(" ", dutch.sentences()))
        .as("field paths and ids are put in words")
        .doesNotContain("subject.", "lzn", "zorg-en-veiligheid", PERSON);

    SubjectLetter english = SubjectLetter.of(report, messages, Locale.ENGLISH, amsterdam);
    assertThat(english.sentences().get(0))
        .startsWith("The police shared the reference of your case, your citizen service number")
        .contains("on 12 May 2026 and 3 June 2026", "with the municipality's Local Care Network");
  }

  @Test
  void theLetterOfSomeoneAboutWhomNothingWasSharedSaysSo() {
    SubjectLetter letter =
        SubjectLetter.of(
            reports.about(AuditTrail.SUBJECTS.pseudonym(SOMEONE_ELSE)),
            messages,
            SubjectLetter.DUTCH,
            ZoneId.of("Europe/Amsterdam"));
    assertThat(letter.sentences()).containsExactly("Er zijn geen gegevens over u gedeeld.");
    assertThat(letter.withheld()).isNull();
  }

  @Test
  void theReportReadsEveryPageOfALongHistory() {
    AuditTrail politie = AuditTrail.of("politie");
    int records = SubjectReports.PAGE_SIZE * 2 + 5;
    ingest(politie.next(records));

    SubjectReport report = reports.about(AuditTrail.SUBJECTS.pseudonym(PERSON));

    assertThat(report.disclosed())
        .as("all %d records, each once", records)
        .hasSize(records)
        .extracting(Disclosure::sequence)
        .doesNotHaveDuplicates();
  }

  @Test
  void theCsvHasAHeaderAndOneQuotedRowPerDecision() {
    AuditTrail politie = AuditTrail.of("politie");
    ingest(
        List.of(
            politie.next(
                r ->
                    r.setLegalBasis("AVG art. 6(1)(e), Wpg art. 20")
                        .setCaseReference("=HYPERLINK(\"x\")")),
            politie.next(
                r ->
                    r.setRecipient("riec")
                        .setDecision(AuditDecision.WITHHELD)
                        .setReason("CONDITION_NOT_MET")
                        .setDisclosedFields(List.of())
                        .setTransformedFields(List.of())
                        .setWithheldFields(List.of()))));
    SubjectReport report = reports.about(AuditTrail.SUBJECTS.pseudonym(PERSON));

    StringWriter out = new StringWriter();
    SubjectReportCsv.write(report, out);
    String csv = out.toString();

    assertThat(csv)
        .as("RFC 4180 lines end in CRLF")
        .contains("\r\n")
        .doesNotContainPattern("[^\r]\n");
    assertThat(csv)
        .as("a value with a comma or a quote is quoted, quotes doubled")
        .contains("\"AVG art. 6(1)(e), Wpg art. 20\"")
        .contains("\"'=HYPERLINK(\"\"x\"\")\"");
    List<List<String>> rows = CsvRows.of(csv);
    assertThat(rows.get(0)).as("header").isEqualTo(SubjectReportCsv.COLUMNS);
    assertThat(rows).hasSize(3);
    List<String> disclosed = rows.get(1);
    assertThat(cell(disclosed, "decision")).isEqualTo("DISCLOSED");
    assertThat(cell(disclosed, "recipient")).isEqualTo("lzn");
    assertThat(cell(disclosed, "legal_basis")).isEqualTo("AVG art. 6(1)(e), Wpg art. 20");
    assertThat(cell(disclosed, "case_reference"))
        .as("a formula is defused")
        .isEqualTo("'=HYPERLINK(\"x\")");
    assertThat(cell(disclosed, "disclosed_fields"))
        .isEqualTo("caseReference; subject.bsn; subject.name; subject.birthDate; concerns");
    assertThat(cell(disclosed, "transformed_fields")).isEqualTo("narrative");
    assertThat(cell(disclosed, "covenant_version")).isEqualTo("1");
    assertThat(cell(disclosed, "decided_at"))
        .isEqualTo(report.disclosed().get(0).decidedAt().toString());
    List<String> withheld = rows.get(2);
    assertThat(cell(withheld, "decision")).isEqualTo("WITHHELD");
    assertThat(cell(withheld, "reason")).isEqualTo("CONDITION_NOT_MET");
    assertThat(csv).as("no BSN in the CSV").doesNotContain(PERSON);
  }

  private static String cell(List<String> row, String column) {
    return row.get(SubjectReportCsv.COLUMNS.indexOf(column));
  }
}
