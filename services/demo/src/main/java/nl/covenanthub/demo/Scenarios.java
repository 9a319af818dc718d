package nl.covenanthub.demo;

import static nl.covenanthub.demo.Cast.AUTOPOETS;
import static nl.covenanthub.demo.Cast.BAKKER;
import static nl.covenanthub.demo.Cast.BAKKER_OPSLAG;
import static nl.covenanthub.demo.Cast.CASUSREGISSEUR;
import static nl.covenanthub.demo.Cast.DE_VRIES;
import static nl.covenanthub.demo.Cast.HENDRIKS;
import static nl.covenanthub.demo.Cast.MULDER;
import static nl.covenanthub.demo.Cast.RECHERCHEUR;
import static nl.covenanthub.demo.Cast.RIEC;
import static nl.covenanthub.demo.Cast.VEILIG_THUIS;
import static nl.covenanthub.demo.Cast.VISSER;
import static nl.covenanthub.demo.Cast.WIJKAGENT;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import nl.covenanthub.events.CaseReference;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.CaseStatusChange;
import nl.covenanthub.events.Company;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.Subject;

/**
 * The demo's script: three cases in West Maas en Waal told as the partners' systems would publish
 * them (confused behaviour and nuisance, domestic violence, a cannabis farm in a company building),
 * with now and then an event the covenants withhold and one with a spoofed sender that the hub
 * dead-letters. Every round of sixteen gets new event ids and case numbers. The order is fixed: the
 * first five events already show every partner receiving something and a dead letter; the rest of a
 * round adds the events that are withheld from everyone.
 */
final class Scenarios {
  private static final String ZORG = "zorg-en-veiligheid";
  private static final String HUISELIJK_GEWELD = "huiselijk-geweld";
  private static final String ONDERMIJNING = "aanpak-ondermijning";

  private final Clock clock;
  private final int year;
  private final int firstCaseNumber;
  private final List<IntFunction<Scenario>> script =
      List.of(
          this::verwardGedrag,
          this::zorgnetwerkBetrokken,
          this::huiselijkGeweldMelding,
          this::gespoofdeAfzender,
          this::nietPluisBedrijf,
          this::hennepteelt,
          this::veiligThuisHoogRisico,
          this::riecEscalatie,
          this::veiligThuisLaagRisico,
          this::veiligThuisReferentie,
          this::woonoverlast,
          this::woonoverlastIngetrokken,
          this::jeugdoverlast,
          this::zorgnetwerkAfgesloten,
          this::politieReferentie,
          this::onbekendDoel);
  private int next;

  Scenarios(Clock clock, int firstCaseNumber) {
    this.clock = clock;
    this.year = clock.instant().atZone(ZoneOffset.UTC).getYear();
    this.firstCaseNumber = firstCaseNumber;
  }

  /** How many events one round of the script has. */
  int roundLength() {
    return script.size();
  }

  Scenario next() {
    int round = next / script.size();
    Scenario scenario = script.get(next % script.size()).apply(firstCaseNumber + round);
    next++;
    return scenario;
  }

  // --- Case 1: J. de Vries, confused behaviour and nuisance (zorg en veiligheid) ---

  private Scenario verwardGedrag(int n) {
    CaseSignal signal =
        signal(
            "politie",
            ref("PL0600", n, 1),
            ZORG,
            DE_VRIES,
            RiskLevel.MIDDEN,
            "Melding van buren over geschreeuw in de nacht. Betrokkene trof ons verward aan, sprak over stemmen en weigert hulp.",
            null,
            WIJKAGENT,
            Concern.VERWARD_GEDRAG);
    return new Scenario("politie", signal, "VERWARD_GEDRAG", List.of("lzn"), "narrative redacted");
  }

  private Scenario zorgnetwerkBetrokken(int n) {
    CaseReference reference = reference("lzn", ref("LZN", n, 1), ZORG, DE_VRIES, CASUSREGISSEUR);
    return new Scenario(
        "lzn",
        reference,
        "care involved",
        List.of("politie"),
        "BSN pseudonymised; the first time, politie and lzn each get a MatchNotice: both hold a case"
            + " about De Vries");
  }

  private Scenario woonoverlast(int n) {
    CaseSignal signal =
        signal(
            "politie",
            ref("PL0600", n, 4),
            ZORG,
            MULDER,
            RiskLevel.LAAG,
            "Vierde klacht over stankoverlast en vervuiling van de woning; betrokkene zegt het niet meer aan te kunnen.",
            null,
            WIJKAGENT,
            Concern.WOONOVERLAST);
    return new Scenario("politie", signal, "WOONOVERLAST", List.of("lzn"), null);
  }

  private Scenario woonoverlastIngetrokken(int n) {
    CaseStatusChange change =
        status(
            "politie",
            ref("PL0600", n, 4),
            ZORG,
            MULDER,
            CaseStatus.WITHDRAWN,
            null,
            "De klachten kwamen van een buurman met een burenruzie; het signaal houdt geen stand.",
            WIJKAGENT);
    return new Scenario(
        "politie",
        change,
        "WITHDRAWN",
        List.of(),
        "no rule passes police status changes, yet lzn, which got the signal, is told to erase it"
            + " (WithdrawalNotice) and acknowledges");
  }

  private Scenario jeugdoverlast(int n) {
    CaseSignal signal =
        signal(
            "politie",
            ref("PL0600", n, 5),
            ZORG,
            MULDER,
            RiskLevel.LAAG,
            "Groep jongeren bij het winkelcentrum; betrokkene aangesproken.",
            null,
            WIJKAGENT,
            Concern.JEUGDOVERLAST);
    return new Scenario(
        "politie", signal, "JEUGDOVERLAST", List.of(), "no rule shares youth nuisance");
  }

  private Scenario zorgnetwerkAfgesloten(int n) {
    CaseStatusChange change =
        status(
            "lzn",
            ref("LZN", n, 1),
            ZORG,
            DE_VRIES,
            CaseStatus.CLOSED,
            null,
            "Betrokkene heeft hulp aanvaard; begeleiding via het wijkteam.",
            CASUSREGISSEUR);
    return new Scenario("lzn", change, "CLOSED", List.of("politie"), "the reason stays with lzn");
  }

  // --- Case 2: M. Visser, domestic violence (huiselijk geweld) ---

  private Scenario huiselijkGeweldMelding(int n) {
    CaseSignal signal =
        signal(
            "politie",
            ref("PL0600", n, 2),
            HUISELIJK_GEWELD,
            VISSER,
            RiskLevel.HOOG,
            "Melding via 112: partner dreigde met een mes; twee kinderen (6 en 9) aanwezig. Partner aangehouden.",
            null,
            WIJKAGENT,
            Concern.HUISELIJK_GEWELD,
            Concern.KINDERMISHANDELING);
    return new Scenario(
        "politie",
        signal,
        "HUISELIJK_GEWELD, KINDERMISHANDELING",
        List.of("veilig-thuis"),
        "in full");
  }

  private Scenario veiligThuisHoogRisico(int n) {
    CaseSignal signal =
        signal(
            "veilig-thuis",
            ref("VT-GZ", n, 1),
            HUISELIJK_GEWELD,
            VISSER,
            RiskLevel.HOOG,
            "Veiligheidsplan opgesteld; moeder en kinderen tijdelijk bij familie.",
            null,
            VEILIG_THUIS,
            Concern.HUISELIJK_GEWELD);
    return new Scenario(
        "veilig-thuis",
        signal,
        "HUISELIJK_GEWELD, risk HOOG",
        List.of("lzn"),
        "without the narrative");
  }

  private Scenario veiligThuisLaagRisico(int n) {
    CaseSignal signal =
        signal(
            "veilig-thuis",
            ref("VT-GZ", n, 2),
            HUISELIJK_GEWELD,
            VISSER,
            RiskLevel.LAAG,
            "Nazorgcontact: situatie stabiel.",
            null,
            VEILIG_THUIS,
            Concern.HUISELIJK_GEWELD);
    return new Scenario(
        "veilig-thuis",
        signal,
        "HUISELIJK_GEWELD, risk LAAG",
        List.of(),
        "risk too low to involve lzn");
  }

  private Scenario veiligThuisReferentie(int n) {
    CaseReference reference =
        reference("veilig-thuis", ref("VT-GZ", n, 1), HUISELIJK_GEWELD, VISSER, VEILIG_THUIS);
    return new Scenario(
        "veilig-thuis",
        reference,
        "Veilig Thuis involved",
        List.of("politie"),
        "BSN pseudonymised");
  }

  private Scenario politieReferentie(int n) {
    CaseReference reference =
        reference("politie", ref("PL0600", n, 2), HUISELIJK_GEWELD, VISSER, WIJKAGENT);
    return new Scenario(
        "politie", reference, "police involved", List.of("veilig-thuis"), "BSN pseudonymised");
  }

  // --- Case 3: P. Bakker and Bakker Opslag B.V., a cannabis farm (aanpak ondermijning) ---

  private Scenario hennepteelt(int n) {
    CaseSignal signal =
        signal(
            "politie",
            ref("PL0600", n, 3),
            ONDERMIJNING,
            BAKKER,
            RiskLevel.HOOG,
            "Hennepkwekerij van circa 400 planten aangetroffen in bedrijfspand; stroom illegaal afgetapt.",
            BAKKER_OPSLAG,
            RECHERCHEUR,
            Concern.HENNEPTEELT,
            Concern.ONDERMIJNING);
    return new Scenario(
        "politie",
        signal,
        "HENNEPTEELT, ONDERMIJNING, company",
        List.of("lzn", "riec"),
        "riec gets a BSN pseudonym, lzn the birth year only");
  }

  private Scenario riecEscalatie(int n) {
    CaseStatusChange change =
        status(
            "riec",
            ref("RIEC-ON-SIG", n, 3),
            ONDERMIJNING,
            BAKKER,
            CaseStatus.ESCALATED,
            ref("RIEC-ON", n, 4),
            "Signaal past in lopend beeld van opslagpanden; integraal casusoverleg gestart.",
            RIEC);
    return new Scenario("riec", change, "ESCALATED", List.of("lzn", "politie"), null);
  }

  private Scenario nietPluisBedrijf(int n) {
    CaseSignal signal =
        signal(
            "lzn",
            ref("LZN", n, 7),
            ONDERMIJNING,
            HENDRIKS,
            RiskLevel.MIDDEN,
            "Aanvraag exploitatievergunning: eigenaar wisselt voor de derde keer in een jaar, omzet onverklaarbaar.",
            AUTOPOETS,
            CASUSREGISSEUR,
            Concern.ONDERMIJNING);
    return new Scenario(
        "lzn",
        signal,
        "ONDERMIJNING, niet-pluis about a company",
        List.of("odr", "politie", "riec"),
        "riec: postcode as area only; odr: premises and company; narrative redacted for all");
  }

  // --- What the hub refuses or withholds ---

  private Scenario gespoofdeAfzender(int n) {
    // Written to the municipality's outbox but claiming to come from the police: the hub believes
    // the outbox.
    CaseSignal signal =
        signal(
            "politie",
            ref("PL0600", n, 9),
            ZORG,
            DE_VRIES,
            RiskLevel.ACUUT,
            "Zogenaamd van de politie.",
            null,
            WIJKAGENT,
            Concern.VERWARD_GEDRAG);
    return new Scenario(
        "lzn",
        signal,
        "VERWARD_GEDRAG, claiming to be politie",
        List.of(),
        "spoofed sender, dead-lettered");
  }

  private Scenario onbekendDoel(int n) {
    CaseSignal signal =
        signal(
            "lzn",
            ref("LZN", n, 8),
            "schuldhulpverlening",
            DE_VRIES,
            RiskLevel.MIDDEN,
            "Betalingsachterstand huur.",
            null,
            CASUSREGISSEUR,
            Concern.OVERIG);
    return new Scenario("lzn", signal, "OVERIG", List.of(), "no covenant has this purpose");
  }

  // --- Builders ---

  /**
   * A case number in the partner's own style, e.g. PL0600-2026-118731: the round's number and a
   * digit per case.
   */
  private String ref(String prefix, int n, int sequence) {
    return String.format("%s-%d-%06d", prefix, year, n * 10 + sequence);
  }

  private CaseSignal signal(
      String sender,
      String caseReference,
      String purpose,
      Subject subject,
      RiskLevel risk,
      String narrative,
      Company company,
      Contact contact,
      Concern... concerns) {
    return CaseSignal.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(sender)
        .setCaseReference(caseReference)
        .setOccurredAt(now())
        .setPurpose(purpose)
        .setSubject(subject)
        .setConcerns(List.of(concerns))
        .setRiskLevel(risk)
        .setNarrative(narrative)
        .setCompany(company)
        .setContact(contact)
        .build();
  }

  private CaseReference reference(
      String sender, String caseReference, String purpose, Subject subject, Contact contact) {
    return CaseReference.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(sender)
        .setCaseReference(caseReference)
        .setOccurredAt(now())
        .setPurpose(purpose)
        .setSubject(subject)
        .setContact(contact)
        .build();
  }

  private CaseStatusChange status(
      String sender,
      String caseReference,
      String purpose,
      Subject subject,
      CaseStatus status,
      String escalatedTo,
      String reason,
      Contact contact) {
    return CaseStatusChange.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(sender)
        .setCaseReference(caseReference)
        .setOccurredAt(now())
        .setPurpose(purpose)
        .setSubject(subject)
        .setStatus(status)
        .setEscalatedTo(escalatedTo)
        .setReason(reason)
        .setContact(contact)
        .build();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
