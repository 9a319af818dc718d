package nl.covenanthub.console.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless chromium, driven by chromium-driver, with a profile of its own. */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String MISSING =
      "skipped: no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install -y chromium chromium-driver; .ci/run does)";

  private final Path profile;
  private final WebDriver driver;

  private HeadlessChromium(Path profile, WebDriver driver) {
    this.profile = profile;
    this.driver = driver;
  }

  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  static HeadlessChromium start() throws IOException {
    Path profile = Files.createTempDirectory("console-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    // The driver named here: Selenium Manager is never asked to find (or download) one.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new HeadlessChromium(profile, new ChromeDriver(service, options));
  }

  WebDriver driver() {
    return driver;
  }

  /**
   * Clicks {@code button} and waits until its page is gone. Chromedriver says so as "stale" or,
   * while the new page loads, as "node does not belong to the document": either means the click
   * left the page.
   */
  static void clickAndLeave(WebDriver browser, WebElement button, Duration wait) {
    button.click();
    new WebDriverWait(browser, wait)
        .until(
            driver -> {
              try {
                button.isEnabled();
                return false;
              } catch (WebDriverException gone) {
                return true;
              }
            });
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
