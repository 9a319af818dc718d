package nl.covenanthub.console.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import nl.covenanthub.console.ConsoleTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console with a real browser: headless Chromium, a fresh one for each test (skipped, saying
 * why, where Chromium is not installed).
 */
abstract class BrowserTestBase extends ConsoleTestBase {
  @LocalServerPort int port;

  private HeadlessChromium chromium;
  WebDriver browser;

  @BeforeAll
  static void aBrowserIsInstalled() {
    assumeTrue(HeadlessChromium.installed(), HeadlessChromium.MISSING);
  }

  @BeforeEach
  void startBrowser() throws IOException {
    chromium = HeadlessChromium.start();
    browser = chromium.driver();
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }
}
