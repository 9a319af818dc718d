package nl.covenanthub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.CsvRows;
import nl.covenanthub.console.report.SubjectReportCsv;
import nl.covenanthub.devkit.Keycloak;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.PrintsPage;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.print.PrintOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The privacy officer's pages in a real browser (Debian's headless chromium, driven by
 * chromium-driver), logging in at the real Keycloak's login form, over audit chains ingested from
 * the embedded broker into PostgreSQL.
 */
class ConsolePagesBrowserTest extends BrowserTestBase {
  private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

  /**
   * The console's default time zone (console.time-zone), in which the pages show times and count
   * days.
   */
  private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

  static final String PERSON = "999990019";
  static final String PERSON_WRITTEN = "999 990.019";
  static final String SOMEONE_ELSE = "999991772";
  static final String PERSONS_CASE = "PL0600-2026-179441";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private AuditTrail politie;
  private AuditTrail lzn;
  private List<AuditTrail.Sealed> politieRecords;

  /**
   * Two chains over three days: the person's case disclosed by politie to lzn and withheld from
   * veilig-thuis, lzn's answer to politie about them; and records about someone else.
   */
  @BeforeEach
  void auditOfThreeDays() {
    politie = AuditTrail.of("politie");
    lzn = AuditTrail.of("lzn");
    String person = AuditTrail.SUBJECTS.pseudonym(PERSON);
    String someoneElse = AuditTrail.SUBJECTS.pseudonym(SOMEONE_ELSE);
    politieRecords =
        List.of(
            politie.next(
                r ->
                    r.setDecidedAt(noon(2))
                        .setCaseReference(PERSONS_CASE)
                        .setSubjectPseudonym(person)),
            politie.next(
                r ->
                    r.setDecidedAt(noon(2).plusSeconds(1))
                        .setCaseReference(PERSONS_CASE)
                        .setSubjectPseudonym(person)
                        .setRecipient("veilig-thuis")
                        .setDecision(AuditDecision.WITHHELD)
                        .setReason("NO_RULE")
                        .setRuleIds(List.of())
                        .setDisclosedFields(List.of())
                        .setTransformedFields(List.of())
                        .setWithheldFields(List.of())),
            politie.next(
                r ->
                    r.setDecidedAt(noon(1))
                        .setCaseReference("PL0600-2026-179445")
                        .setSubjectPseudonym(someoneElse)));
    ingest(politieRecords);
    ingest(
        List.of(
            lzn.next(
                r ->
                    r.setDecidedAt(noon(1))
                        .setSender("lzn")
                        .setRecipient("politie")
                        .setCaseReference("LZN-2026-179441")
                        .setSubjectPseudonym(person)
                        .setRuleIds(List.of("lzn-betrokkenheid-aan-politie"))
                        .setDisclosedFields(
                            List.of(
                                "caseReference", "subject.name", "subject.birthDate", "contact"))
                        .setTransformedFields(List.of("subject.bsn"))
                        .setWithheldFields(List.of("subject.address"))),
            lzn.next(
                r ->
                    r.setDecidedAt(noon(0))
                        .setSender("lzn")
                        .setRecipient("veilig-thuis")
                        .setCaseReference("LZN-2026-179445")
                        .setSubjectPseudonym(someoneElse))));
  }

  /**
   * Noon of a day in the console's time zone, so each record is on the day meant, whenever the test
   * runs.
   */
  private static Instant noon(int daysAgo) {
    return LocalDate.now(ZONE).minusDays(daysAgo).atTime(12, 0).atZone(ZONE).toInstant();
  }

  private static String shown(Instant instant) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
        .withZone(ZONE)
        .format(instant);
  }

  @Test
  void thePrivacyOfficerSearchesReadsARecordAndMakesTheArt15Report() {
    logIn("fg");
    assertThat(browser.findElement(By.id("user")).getText())
        .as("who is logged in, in the bar")
        .isEqualTo("fg");
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .as("the pages speak Dutch by default")
        .isEqualTo("Zoeken in de audit");
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("nl");

    // Search by BSN: the person's three records, the BSN nowhere after.
    type("bsn", PERSON);
    submitSearch();
    assertThat(resultCases())
        .as("records about the person, newest first")
        .containsExactly("LZN-2026-179441", PERSONS_CASE, PERSONS_CASE);
    assertNoBsn();
    assertThat(browser.findElement(By.id("subject")).getDomProperty("value"))
        .as("the form keeps the person, by pseudonym")
        .isEqualTo(AuditTrail.SUBJECTS.pseudonym(PERSON));

    // Search by case reference.
    open("/console/disclosures");
    type("caseReference", PERSONS_CASE);
    submitSearch();
    assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("2");
    assertThat(resultColumn(4)).as("recipients of the case").containsExactly("veilig-thuis", "lzn");

    // One record in full.
    String disclosed = politieRecords.get(0).record().getDisclosureId();
    browser.findElement(By.cssSelector("tr[data-disclosure-id='" + disclosed + "'] a")).click();
    waitFor(By.id("disclosed-fields"));
    assertThat(browser.getCurrentUrl()).endsWith("/console/disclosures/" + disclosed);
    assertThat(text("recipient")).isEqualTo("lzn");
    assertThat(text("disclosed-fields"))
        .isEqualTo("caseReference, subject.bsn, subject.name, subject.birthDate, concerns");
    assertThat(text("transformed-fields")).isEqualTo("narrative");
    assertThat(text("withheld-fields")).isEqualTo("subject.address");

    // The Art. 15 report, from its own page with the BSN, written as people write it.
    browser.findElement(By.id("nav-report")).click();
    type("bsn", PERSON_WRITTEN);
    browser.findElement(By.id("make-report")).click();
    waitFor(By.id("disclosed"));
    assertNoBsn();
    assertThat(text("pseudonym")).isEqualTo(AuditTrail.SUBJECTS.pseudonym(PERSON));
    assertThat(text("disclosure-count")).isEqualTo("2");
    List<List<String>> disclosures = tableRows("disclosed");
    assertThat(disclosures)
        .as("to whom, from whom, why, under what, which fields, newest first")
        .containsExactly(
            List.of(
                shown(noon(1)),
                "lzn",
                "politie",
                "zorg-en-veiligheid",
                "Wpg art. 20; AVG art. 6(1)(e)",
                "zorg-en-veiligheid-west-maas-en-waal v1",
                "lzn-betrokkenheid-aan-politie",
                "caseReference, subject.name, subject.birthDate, contact",
                "subject.bsn",
                "P2Y",
                "LZN-2026-179441"),
            List.of(
                shown(noon(2)),
                "politie",
                "lzn",
                "zorg-en-veiligheid",
                "Wpg art. 20; AVG art. 6(1)(e)",
                "zorg-en-veiligheid-west-maas-en-waal v1",
                "politie-signaal-zorg-aan-lzn",
                "caseReference, subject.bsn, subject.name, subject.birthDate, concerns",
                "narrative",
                "P2Y",
                PERSONS_CASE));
    assertThat(tableRows("not-disclosed"))
        .as("what was not passed on")
        .extracting(row -> row.subList(1, 6))
        .containsExactly(
            List.of("politie", "veilig-thuis", "zorg-en-veiligheid", "tegengehouden", "NO_RULE"));
    assertThat(browser.getPageSource())
        .as("nothing about someone else")
        .doesNotContain("PL0600-2026-179445")
        .doesNotContain("LZN-2026-179445");
    assertThat(browser.findElement(By.id("print")).isDisplayed()).as("a print button").isTrue();
    byte[] pdf =
        Base64.getDecoder().decode(((PrintsPage) browser).print(new PrintOptions()).getContent());
    assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII))
        .as("the report printed to PDF by the browser")
        .isEqualTo("%PDF-");

    // The CSV, posted from the report's own form in this session.
    List<?> download =
        (List<?>)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    """
        const done = arguments[arguments.length - 1];
        const form = document.getElementById('csv-form');
        fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))})
          .then(r => r.text().then(body => done([r.status, r.headers.get('content-type'),
              r.headers.get('content-disposition'), body])));
        """);
    assertThat(download.get(0)).as("status of the CSV download").isEqualTo(200L);
    assertThat((String) download.get(1)).startsWith("text/csv");
    assertThat((String) download.get(2)).startsWith("attachment").contains("art15-report-");
    String csv = (String) download.get(3);
    List<List<String>> rows = CsvRows.of(csv);
    assertThat(rows.get(0)).isEqualTo(SubjectReportCsv.COLUMNS);
    assertThat(rows.subList(1, rows.size()))
        .extracting(row -> row.get(1) + " " + row.get(2) + "→" + row.get(3) + " " + row.get(13))
        .containsExactly(
            "DISCLOSED lzn→politie LZN-2026-179441",
            "DISCLOSED politie→lzn " + PERSONS_CASE,
            "WITHHELD politie→veilig-thuis " + PERSONS_CASE);
    assertThat(csv).as("no BSN in the CSV").doesNotContain(PERSON);

    // The same answer as a letter in plain Dutch, and in English on request.
    browser.findElement(By.id("make-letter")).click();
    waitFor(By.id("letter"));
    assertThat(text("letter-title")).isEqualTo("Welke gegevens over u zijn gedeeld");
    assertThat(browser.findElements(By.cssSelector("#letter .sentence")))
        .extracting(WebElement::getText)
        .as("one sentence per who, to whom, why and on what ground, in words")
        .hasSize(2)
        .anySatisfy(
            sentence ->
                assertThat(sentence)
                    .startsWith("De politie heeft op ")
                    .contains("uw naam", "gedeeld met het Lokaal Zorgnetwerk van de gemeente"));
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("nl");
    assertNoBsn();
    browser.findElement(By.id("other-language")).click();
    new WebDriverWait(browser, PAGE_WAIT)
        .until(
            ExpectedConditions.textToBe(
                By.id("letter-title"), "What information about you was shared"));
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");

    // The register of processing activities, from the covenants.
    browser.findElement(By.id("nav-register")).click();
    waitFor(By.cssSelector("section.activity"));
    assertThat(browser.findElements(By.cssSelector("section.activity")))
        .extracting(section -> section.getDomAttribute("data-activity-id"))
        .contains(
            "urn:covenant-hub:processing-activity:zorg-en-veiligheid-west-maas-en-waal:v1:zorg-en-veiligheid");
    assertThat(browser.findElements(By.id("problems"))).as("every covenant valid").isEmpty();

    // Disclosures over time per partner pair.
    browser.findElement(By.id("nav-chart")).click();
    waitFor(By.id("chart"));
    assertThat(browser.findElements(By.cssSelector("#legend .pair")))
        .extracting(WebElement::getText)
        .as("the pairs with disclosures")
        .containsExactly("lzn → politie", "lzn → veilig-thuis", "politie → lzn");
    List<WebElement> lines = browser.findElements(By.cssSelector("#chart polyline"));
    assertThat(lines).as("one line per pair").hasSize(3);
    assertThat(lines)
        .allSatisfy(
            line ->
                assertThat(line.getDomAttribute("points").split(" "))
                    .as("a point per day, three days")
                    .hasSize(3));
    assertThat(browser.findElement(By.id("chart")).getSize().getWidth())
        .as("the chart is drawn")
        .isGreaterThan(300);
    browser.findElement(By.cssSelector("details summary")).click();
    assertThat(tableRows("chart-numbers"))
        .as("the numbers, per day and pair")
        .extracting(row -> row.subList(1, 4))
        .containsExactly(List.of("0", "0", "1"), List.of("1", "0", "1"), List.of("0", "1", "0"));

    // Logging out ends the Keycloak session too: the pages ask for a login again.
    browser.findElement(By.cssSelector(".session button")).click();
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
  }

  @Test
  void theIntegrityPageShowsTheAuditIntactThenTheAlteredRecord() {
    // The page verifies the last 24 hours: as if it were the evening of the oldest record's day.
    clock.set(noon(2).plus(Duration.ofHours(8)));
    logIn("fg");
    open("/console/integrity");
    assertThat(text("status"))
        .as("the status, in Dutch")
        .startsWith("Intact: 5 records in 2 ketens gecontroleerd");
    assertThat(text("anchoring")).startsWith("vergeleken met hub.audit");

    // English on request, kept for the pages after; a language the console has not is ignored.
    browser.findElement(By.id("language")).click();
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.textToBe(By.tagName("h1"), "Integrity of the audit"));
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
    assertThat(text("status")).startsWith("Intact: 5 records in 2 chains verified");
    assertThat(text("anchoring")).startsWith("compared with hub.audit");
    open("/console/integrity?language=fr");
    assertThat(text("status")).as("still English").startsWith("Intact: 5 records in 2 chains");

    // A view goes on from the last walk of the day, re-hashing only what is new since: none here.
    assertThat(text("rehashed")).startsWith("0 of these records, the newest, were re-hashed now.");

    db.sql("UPDATE audit_record SET recipient = 'riec' WHERE chain_id = ? AND sequence = 3")
        .param(politie.chainId())
        .update();
    // Found by the next walk of the day (every few minutes), or now on request.
    WebElement shown = browser.findElement(By.id("status"));
    browser.findElement(By.id("rehash-now")).click();
    new WebDriverWait(browser, PAGE_WAIT).until(ExpectedConditions.stalenessOf(shown));
    assertThat(browser.getCurrentUrl()).contains("rehash=true");
    assertThat(text("status")).startsWith("Not intact: 1 of 2 chains");
    assertThat(browser.findElements(By.id("rehashed"))).as("every record re-hashed").isEmpty();
    // A chain found broken is walked in full on every view after.
    open("/console/integrity");
    assertThat(text("status")).startsWith("Not intact: 1 of 2 chains");
    WebElement chain =
        browser.findElement(By.cssSelector("tr[data-chain='" + politie.chainId() + "']"));
    List<String> cells =
        chain.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(cells.subList(3, 6))
        .as("kind, position, record of the first break")
        .containsExactly("ALTERED", "3", politieRecords.get(2).record().getDisclosureId());
    assertThat(
            browser
                .findElement(
                    By.cssSelector("tr[data-chain='" + lzn.chainId() + "'] td:nth-child(4)"))
                .getText())
        .isEqualTo("intact");

    // Every chain from its start when asked.
    assertThat(browser.findElements(By.id("scheduled"))).hasSize(1);
    browser.findElement(By.id("verify-all")).click();
    new WebDriverWait(browser, PAGE_WAIT).until(ExpectedConditions.urlContains("all=true"));
    assertThat(text("status")).startsWith("Not intact: 1 of 2 chains");
    assertThat(browser.findElements(By.id("scheduled"))).as("not beside a full check").isEmpty();
  }

  /**
   * Three notices as the hub writes them to {@code hub.disclosure-index}: one in time, one past its
   * date without an acknowledgement, one acknowledged.
   */
  @Test
  void theWithdrawalsPageShowsPerRecipientWhetherItAcknowledgedInTime() throws Exception {
    Instant now = clock.instant();
    String waiting = UUID.randomUUID().toString();
    String late = UUID.randomUUID().toString();
    String done = UUID.randomUUID().toString();
    notice(waiting, "lzn", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(13)));
    notice(late, "veilig-thuis", now.minus(Duration.ofDays(20)), now.minus(Duration.ofDays(6)));
    notice(done, "riec", now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(11)));
    Map<String, Object> ack =
        Map.of(
            "noticeId",
            done,
            "by",
            "riec",
            "eventId",
            UUID.randomUUID().toString(),
            "at",
            now.minus(Duration.ofDays(2)).toEpochMilli());
    publishTo("hub.disclosure-index", "ack/" + done, JSON.writeValueAsBytes(ack));

    logIn("fg");
    open("/console/withdrawals");
    waitFor(By.cssSelector("tr[data-notice='" + done + "']"));
    assertThat(stateOf(waiting)).isEqualTo("NOTIFIED");
    assertThat(stateOf(late)).isEqualTo("OVERDUE");
    assertThat(stateOf(done)).isEqualTo("ACKNOWLEDGED");
    WebElement overdue = browser.findElement(By.cssSelector("tr[data-notice='" + late + "']"));
    assertThat(overdue.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
        .as("the overdue row, in Dutch")
        .contains("politie", PERSONS_CASE, "veilig-thuis", "ingetrokken", "te laat");
    assertNoBsn();

    // The person's Art. 15 report says who was told to erase what about them, and who did.
    browser.findElement(By.id("nav-report")).click();
    type("bsn", PERSON);
    browser.findElement(By.id("make-report")).click();
    waitFor(By.id("withdrawals"));
    assertThat(tableRows("withdrawals"))
        .extracting(row -> row.get(2) + " " + row.get(5))
        .contains("lzn wacht, op tijd", "veilig-thuis te laat", "riec bevestigd");
    assertNoBsn();
  }

  private void notice(String id, String recipient, Instant at, Instant acknowledgeBy)
      throws Exception {
    Map<String, Object> notice = new java.util.LinkedHashMap<>();
    notice.put("noticeId", id);
    notice.put("caseKey", "k-" + id);
    notice.put("sender", "politie");
    notice.put("caseReference", PERSONS_CASE);
    notice.put("subject", AuditTrail.SUBJECTS.pseudonym(PERSON));
    notice.put("recipient", recipient);
    notice.put("reason", "WITHDRAWN");
    notice.put("purpose", "zorg-en-veiligheid");
    notice.put("at", at.toEpochMilli());
    notice.put("acknowledgeBy", acknowledgeBy.toEpochMilli());
    publishTo("hub.disclosure-index", "notice/" + id, JSON.writeValueAsBytes(notice));
  }

  private String stateOf(String noticeId) {
    return browser
        .findElement(By.cssSelector("tr[data-notice='" + noticeId + "']"))
        .getDomAttribute("data-state");
  }

  @Test
  void aBadSearchSaysWhatIsWrongAndKeepsTheFormButNotTheBsn() {
    logIn("fg");
    type("bsn", "12345");
    type("caseReference", PERSONS_CASE);
    type("from", "yesterday");
    submitSearch();
    assertThat(text("error")).isEqualTo("Het BSN moet negen cijfers hebben.");
    assertThat(browser.findElement(By.id("bsn")).getDomProperty("value"))
        .as("the BSN field is empty again")
        .isEmpty();
    assertThat(browser.findElement(By.id("caseReference")).getDomProperty("value"))
        .isEqualTo(PERSONS_CASE);
    assertThat(browser.getPageSource()).doesNotContain("12345");

    submitSearch();
    assertThat(text("error"))
        .isEqualTo("Van moet een datum (2026-05-01) of een tijdstip (2026-05-01T08:00:00Z) zijn.");
    assertThat(browser.findElement(By.id("from")).getDomProperty("value")).isEqualTo("yesterday");
    assertThat(browser.findElements(By.id("results"))).as("no results with an error").isEmpty();

    // A form without this session's CSRF token (as from a page of an earlier session) is refused,
    // and says so.
    List<?> stale =
        (List<?>)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    """
        const done = arguments[arguments.length - 1];
        fetch('/console/report', {method: 'POST', body: new URLSearchParams({bsn: arguments[0]})})
          .then(r => r.text().then(body => done([r.status, body])));
        """,
                    PERSON);
    assertThat(stale.get(0)).as("status of a stale form").isEqualTo(403L);
    assertThat((String) stale.get(1)).contains("Dit formulier is verlopen").doesNotContain(PERSON);
  }

  @Test
  void someoneWithoutThePrivacyOfficerRoleIsRefused() {
    logIn("beheerder");

    assertThat(text("denied"))
        .isEqualTo("Deze pagina's zijn voor de functionaris gegevensbescherming");
    assertThat(text("user")).isEqualTo("beheerder");
    assertThat(browser.getPageSource()).as("no audit data").doesNotContain(PERSONS_CASE);
    Object status =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch('/console/integrity').then(r => done(r.status));");
    assertThat(status).as("the status of a page for someone without the role").isEqualTo(403L);
  }

  /**
   * Opens the search, is sent to Keycloak's login form, logs in there, and is back on the search.
   */
  private void logIn(String username) {
    open("/console/disclosures");
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.urlContains(Keycloak.shared().issuer()));
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys("demo");
    browser.findElement(By.id("kc-login")).click();
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.urlContains(app("/console/disclosures")));
    waitFor(By.id("user"));
  }

  private void open(String path) {
    browser.get(app(path));
  }

  private String app(String path) {
    return "http://localhost:" + port + path;
  }

  private void type(String field, String value) {
    WebElement input = browser.findElement(By.id(field));
    input.clear();
    input.sendKeys(value);
  }

  private void submitSearch() {
    HeadlessChromium.clickAndLeave(browser, browser.findElement(By.id("search")), PAGE_WAIT);
  }

  private String text(String id) {
    return waitFor(By.id(id)).getText();
  }

  private WebElement waitFor(By element) {
    return new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(element));
  }

  private List<String> resultCases() {
    return resultColumn(6);
  }

  /** The text of one column (from 1) of the results. */
  private List<String> resultColumn(int column) {
    return browser
        .findElements(By.cssSelector("#results tbody td:nth-child(" + column + ")"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private List<List<String>> tableRows(String tableId) {
    return browser.findElements(By.cssSelector("#" + tableId + " tbody tr")).stream()
        .map(
            row ->
                row.findElements(By.cssSelector("th, td")).stream()
                    .map(WebElement::getText)
                    .toList())
        .toList();
  }

  private void assertNoBsn() {
    assertThat(browser.getCurrentUrl()).as("the URL").doesNotContain(PERSON);
    assertThat(browser.getPageSource()).as("the page").doesNotContain(PERSON, PERSON_WRITTEN);
  }
}
