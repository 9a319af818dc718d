package nl.covenanthub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import nl.covenanthub.console.TestCovenantText;
import nl.covenanthub.devkit.Keycloak;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Covenant administration in a real browser, with the realm's demo users at the real Keycloak: the
 * administrator proposes and previews, the approver approves (the administrator cannot), the
 * police's representative accepts, and the version is active.
 */
class CovenantPagesBrowserTest extends BrowserTestBase {
  private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

  private static String covenant(String id) {
    return TestCovenantText.of(id, 1, "caseReference", "subject.name");
  }

  @Test
  void proposePreviewApproveAcceptActive() {
    String id = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    logIn("beheerder", "/console/covenants/propose");
    setValue("yaml", covenant(id).replace("until: 2028-12-31", "until: 2028-12-32"));
    click("check");
    assertThat(waitFor(By.cssSelector("#problems li")).getAttribute("data-line"))
        .as("the problem, by its line")
        .isEqualTo("6");
    setValue("yaml", covenant(id));
    click("check");
    waitFor(By.id("valid"));
    assertThat(text("preview-details"))
        .contains("politie -> lzn")
        .containsPattern("subject\\.name +withheld +passes +WIDER");
    click("submit-proposal");
    String versionPage = waitFor(By.id("state")).getAttribute("data-state");
    assertThat(versionPage).isEqualTo("PROPOSED");
    String address = browser.getCurrentUrl().replace("http://localhost:" + port, "");
    assertThat(text("required")).isEqualTo("politie");
    assertThat(browser.findElements(By.id("approve")))
        .as("the administrator has no approve button")
        .isEmpty();
    logOut();

    logIn("goedkeurder", address);
    click("approve");
    waitFor(By.id("done"));
    assertThat(text("approver")).isEqualTo("goedkeurder");
    assertThat(waitFor(By.id("state")).getAttribute("data-state"))
        .as("politie has yet to accept")
        .isEqualTo("PROPOSED");
    logOut();

    logIn("jurist-politie", address);
    click("accept-politie");
    waitFor(By.id("done"));
    assertThat(waitFor(By.id("state")).getAttribute("data-state")).isEqualTo("ACTIVE");
    assertThat(text("accepted")).isEqualTo("politie");
    assertThat(browser.findElements(By.cssSelector("#timeline tr[data-action]")))
        .extracting(row -> row.getAttribute("data-action"))
        .containsExactly("PROPOSED", "APPROVED", "ACCEPTED", "ACTIVATED");
    assertThat(browser.findElement(By.id("revoke-politie")).isDisplayed())
        .as("a party may revoke the active version")
        .isTrue();
  }

  private void logIn(String username, String path) {
    browser.get(app(path));
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.urlContains(Keycloak.shared().issuer()));
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys("demo");
    browser.findElement(By.id("kc-login")).click();
    new WebDriverWait(browser, PAGE_WAIT).until(ExpectedConditions.urlContains(app(path)));
    waitFor(By.id("user"));
  }

  private void logOut() {
    browser.findElement(By.cssSelector(".session button")).click();
    new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
  }

  private String app(String path) {
    return "http://localhost:" + port + path;
  }

  private void setValue(String id, String value) {
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].value = arguments[1]", waitFor(By.id(id)), value);
  }

  private void click(String id) {
    HeadlessChromium.clickAndLeave(browser, waitFor(By.id(id)), PAGE_WAIT);
  }

  private String text(String id) {
    return waitFor(By.id(id)).getText();
  }

  private WebElement waitFor(By element) {
    return new WebDriverWait(browser, PAGE_WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(element));
  }
}
