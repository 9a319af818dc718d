package nl.covenanthub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.covenanthub.console.signals.SignalViews;
import nl.covenanthub.devkit.Keycloak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The public 'niet-pluis' form and the werkbestand in a real browser (headless chromium), over the
 * console's real PostgreSQL, with logins at the real Keycloak.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignalPagesBrowserTest extends BrowserTestBase {
  private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
  private static final Pattern RECEIPT = Pattern.compile("[A-Z2-7]{4}(-[A-Z2-7]{1,4}){6}");

  /** Every column the form's tables have: none for an IP address, a browser or a session. */
  private static final Set<String> SIGNAL_COLUMNS =
      Set.of(
          "id",
          "reference",
          "received_at",
          "receipt_hash",
          "kind",
          "street",
          "house_number",
          "postcode",
          "city",
          "area",
          "company_name",
          "kvk_number",
          "description",
          "reporter_contact",
          "status",
          "merged_into",
          "summary",
          "dismiss_reason",
          "decided_at",
          "riec_case",
          "outcome_note");

  @Test
  void anAnonymousReportSentWithTheKeyboardAloneStoresAndLogsNothingAboutTheReporter(
      CapturedOutput output) {
    open("/melden");
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang"))
        .as("the form speaks Dutch")
        .isEqualTo("nl");
    String userAgent = (String) script("return navigator.userAgent;");
    String description = "Loods Keyboardlaan: ramen afgeplakt, 's nachts busjes " + unique();

    // Tab from the top of the page through every field, typing as a person would; Enter sends.
    tab();
    assertThat(focused().getDomAttribute("id")).as("first stop").isEqualTo("kind");
    focused().sendKeys("Iets anders");
    tab();
    assertThat(focused().getDomAttribute("id")).isEqualTo("description");
    focused().sendKeys(description);
    tab();
    assertThat(focused().getDomAttribute("id")).isEqualTo("street");
    focused().sendKeys("Keyboardlaan");
    tab();
    focused().sendKeys("7");
    tab();
    focused().sendKeys("6658 KB");
    tab();
    assertThat(focused().getDomAttribute("id")).isEqualTo("city");
    focused().sendKeys("Beneden-Leeuwen");
    for (String next : List.of("area", "companyName", "kvkNumber", "contactName")) {
      tab();
      assertThat(focused().getDomAttribute("id")).isEqualTo(next);
    }
    tab();
    tab();
    assertThat(focused().getDomAttribute("id")).as("the sum's answer").isEqualTo("answer");
    focused().sendKeys(answer());
    focused().sendKeys(Keys.ENTER);

    String code = receiptCode();
    assertThat(text("received")).isEqualTo("Dank u wel, uw melding is ontvangen");

    Map<String, Object> row = signalRow(code);
    assertThat(row.get("reporter_contact")).as("no contact: anonymous").isNull();
    assertThat(row.get("description")).isEqualTo(description);
    assertThat(row.get("kind")).isEqualTo("OVERIG");
    assertThat(row.get("street")).isEqualTo("Keyboardlaan");
    assertThat(row.values())
        .as("nothing of the browser, the connection or the code in the row")
        .noneMatch(value -> value != null && value.toString().contains(userAgent))
        .noneMatch(value -> value != null && value.toString().contains("127.0.0.1"))
        .noneMatch(value -> value != null && value.toString().contains(code));
    assertThat(columns("signal")).as("the signal table's columns").isEqualTo(SIGNAL_COLUMNS);
    assertThat(columns("signal_addition")).isEqualTo(Set.of("id", "signal_id", "added_at", "text"));
    assertThat(output.getAll())
        .as("the console's log")
        .contains("Signal " + row.get("reference") + " received")
        .doesNotContain(description)
        .doesNotContain("Keyboardlaan")
        .doesNotContain(code);
  }

  @Test
  void aReportWithContactGetsACodeThatAddsInformationLater(CapturedOutput output) {
    open("/melden");
    assertThat(unlabelled()).as("fields without a label").isEmpty();
    assertThat(browser.findElements(By.cssSelector("fieldset > legend")))
        .as("each group of fields has a legend")
        .hasSize(browser.findElements(By.tagName("fieldset")).size());
    fillIn("PAND", "Vreemd verkeer bij loods " + unique());
    type("contactName", "M. Melder");
    type("contactDetails", "06-12345678");
    send();
    String code = receiptCode();
    assertThat(signalRow(code).get("reporter_contact")).isEqualTo("M. Melder · 06-12345678");

    browser.findElement(By.id("to-add")).click();
    String addition = "Vanavond weer drie busjes " + unique();
    type("code", code.toLowerCase(Locale.ROOT).replace("-", " "));
    type("text", addition);
    HeadlessChromium.clickAndLeave(browser, browser.findElement(By.id("send")), PAGE_WAIT);
    assertThat(text("added")).startsWith("Dank u wel");
    assertThat(
            db.sql(
                    "SELECT a.text FROM signal_addition a JOIN signal s ON s.id = a.signal_id"
                        + " WHERE s.receipt_hash = ?")
                .param(sha256(code))
                .query(String.class)
                .list())
        .as("added to the report, the code typed in lower case with spaces")
        .containsExactly(addition);
    assertThat(output.getAll()).doesNotContain(addition).doesNotContain("M. Melder");

    open("/melden/aanvullen");
    type("code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG");
    type("text", "iets");
    HeadlessChromium.clickAndLeave(browser, browser.findElement(By.id("send")), PAGE_WAIT);
    assertThat(text("code-error"))
        .isEqualTo(
            "Deze ontvangstcode kennen we niet (of de melding is afgesloten). Controleer de code.");
  }

  @Test
  void aReportTooLargeIsRefusedBesideTheFieldAndKeepsWhatWasTyped() {
    long before = signals();
    open("/melden");
    fillIn("DRUGS", "x".repeat(4001));
    type("street", "Grotelaan");
    send();

    assertThat(text("description-error")).isEqualTo("Dit veld is te lang: hoogstens 4000 tekens.");
    assertThat(browser.findElement(By.id("description")).getDomAttribute("aria-describedby"))
        .as("the message is tied to its field")
        .contains("description-error");
    assertThat(browser.findElement(By.id("description")).getDomAttribute("aria-invalid"))
        .isEqualTo("true");
    assertThat(text("problems")).contains("Uw melding is nog niet verstuurd");
    assertThat(browser.findElement(By.id("street")).getDomProperty("value"))
        .as("what was typed is kept")
        .isEqualTo("Grotelaan");
    assertThat(signals()).as("nothing stored").isEqualTo(before);

    // A wrong sum is refused the same way, and a new sum is asked.
    type("description", "Korter nu.");
    type("answer", "1000");
    HeadlessChromium.clickAndLeave(browser, browser.findElement(By.id("send")), PAGE_WAIT);
    assertThat(text("answer-error")).startsWith("Het antwoord op de som klopt niet");
    assertThat(signals()).isEqualTo(before);
  }

  @Test
  void tooManyReportsFromOneSessionAreRefusedWithoutLosingAnything() {
    for (int i = 0; i < 3; i++) {
      open("/melden");
      fillIn("OVERIG", "Melding " + i + " " + unique());
      send();
      receiptCode();
    }
    long before = signals();
    open("/melden");
    String description = "De vierde " + unique();
    fillIn("OVERIG", description);
    send();

    assertThat(text("problems"))
        .contains("Er zijn zojuist te veel meldingen verstuurd. Er is niets opgeslagen");
    assertThat(browser.findElement(By.id("description")).getDomProperty("value"))
        .as("the report is still there to send later")
        .isEqualTo(description);
    assertThat(signals()).as("the fourth is not stored").isEqualTo(before);
    assertThat(
            db.sql("SELECT count(*) FROM signal WHERE description LIKE 'Melding %'")
                .query(Long.class)
                .single())
        .as("the three accepted ones stay")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void onlyTheIntegralSafetyOfficerSeesTheWerkbestandAndEveryViewIsLogged() throws IOException {
    open("/melden");
    String description = "Werkbestandtest " + unique();
    fillIn("VAKANTIEPARK", description);
    send();
    String reference = (String) signalRow(receiptCode()).get("reference");

    // Without a login: to Keycloak.
    open("/console/signalen");
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.urlContains(Keycloak.shared().issuer()));

    // The privacy officer: refused.
    logIn("fg", "/console/signalen");
    assertThat(text("denied")).isNotBlank();
    assertThat(browser.getPageSource()).doesNotContain(reference).doesNotContain(description);
    assertThat(status("/console/signalen/" + reference)).isEqualTo(403L);
    closeBrowser();
    startBrowser();

    // The integral-safety officer: the list, the signal, each view logged.
    long viewsBefore = SignalViews.of(db, "ivb", reference);
    logIn("ivb", "/console/signalen");
    waitFor(By.cssSelector("tr[data-reference='" + reference + "']"));
    browser.findElement(By.linkText(reference)).click();
    assertThat(text("description")).isEqualTo(description);
    assertThat(text("contact")).isEqualTo("anoniem");
    assertThat(SignalViews.of(db, "ivb", reference))
        .as("the view is logged")
        .isEqualTo(viewsBefore + 1);
    assertThat(
            db.sql(
                    "SELECT count(*) FROM signal_view_log WHERE username = 'ivb' AND action = 'LIST'")
                .query(Long.class)
                .single())
        .as("the work list's views too")
        .isPositive();
    assertThat(
            db.sql("SELECT count(*) FROM signal_view_log WHERE reference = ? AND username = 'fg'")
                .param(reference)
                .query(Long.class)
                .single())
        .as("the refused officer saw nothing, so nothing is logged for them")
        .isZero();

    // Enrich, then dismiss with a reason.
    type("kvkNumber", "12345678");
    HeadlessChromium.clickAndLeave(
        browser, browser.findElement(By.cssSelector("#enrich button")), PAGE_WAIT);
    assertThat(text("kvk")).isEqualTo("12345678");
    type("reason", "Vergunde bewoning, geen signaal");
    HeadlessChromium.clickAndLeave(
        browser, browser.findElement(By.cssSelector("#dismiss button")), PAGE_WAIT);
    assertThat(text("status")).isEqualTo("afgewezen");
    assertThat(
            db.sql(
                    "SELECT action FROM signal_view_log WHERE reference = ? AND username = 'ivb'"
                        + " ORDER BY id")
                .param(reference)
                .query(String.class)
                .list())
        .containsSubsequence("VIEW", "ENRICH", "VIEW", "DISMISS", "VIEW");
  }

  private void fillIn(String kind, String description) {
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("kind")))
        .selectByValue(kind);
    if (description.length() > 1000) {
      script(
          "arguments[0].value = arguments[1];",
          browser.findElement(By.id("description")),
          description);
    } else {
      type("description", description);
    }
    type("city", "Wamel");
    type("answer", answer());
  }

  private void send() {
    HeadlessChromium.clickAndLeave(browser, browser.findElement(By.id("send")), PAGE_WAIT);
  }

  /** The sum the form asks, answered. */
  private String answer() {
    Matcher sum =
        Pattern.compile("Hoeveel is (\\d) plus (\\d)")
            .matcher(browser.findElement(By.cssSelector("label[for=answer]")).getText());
    assertThat(sum.find()).as("a sum is asked").isTrue();
    return Integer.toString(Integer.parseInt(sum.group(1)) + Integer.parseInt(sum.group(2)));
  }

  private String receiptCode() {
    String code = text("receipt-code");
    assertThat(code).as("a receipt code of 128 bits in base32 groups").matches(RECEIPT);
    return code;
  }

  private Map<String, Object> signalRow(String code) {
    return db.sql("SELECT * FROM signal WHERE receipt_hash = ?")
        .param(sha256(code))
        .query()
        .singleRow();
  }

  private Set<String> columns(String table) {
    return Set.copyOf(
        db.sql("SELECT column_name FROM information_schema.columns WHERE table_name = ?")
            .param(table)
            .query(String.class)
            .list());
  }

  private long signals() {
    return db.sql("SELECT count(*) FROM signal").query(Long.class).single();
  }

  /** Inputs, selects and text areas that no label names. */
  private List<String> unlabelled() {
    return browser
        .findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))
        .stream()
        .map(field -> field.getDomAttribute("id"))
        .filter(
            id ->
                id == null
                    || browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty())
        .toList();
  }

  private static String sha256(String code) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(code.replace("-", "").getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unique() {
    return Long.toString(System.nanoTime(), 36);
  }

  private void logIn(String username, String path) {
    open(path);
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.urlContains(Keycloak.shared().issuer()));
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys("demo");
    browser.findElement(By.id("kc-login")).click();
    new WebDriverWait(browser, PAGE_WAIT).until(ExpectedConditions.urlContains(app(path)));
    waitFor(By.id("user"));
  }

  private Object status(String path) {
    return script(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status));",
        path);
  }

  private Object script(String script, Object... args) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    return script.contains("arguments[arguments.length - 1]")
        ? js.executeAsyncScript(script, args)
        : js.executeScript(script, args);
  }

  private void tab() {
    (browser.switchTo().activeElement()).sendKeys(Keys.TAB);
  }

  private WebElement focused() {
    return browser.switchTo().activeElement();
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

  private String text(String id) {
    return waitFor(By.id(id)).getText();
  }

  private WebElement waitFor(By element) {
    return new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(element));
  }
}
