package io.openavathar.studio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by the system's chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}; no Selenium Manager download), with the page's console log kept for
 * checks.
 */
final class Browser implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String CHROMIUM = System.getProperty("openavathar.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("openavathar.chromedriver", "/usr/bin/chromedriver");

  final ChromeDriver driver;

  Browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--no-first-run",
        "--disable-extensions",
        "--mute-audio",
        "--autoplay-policy=no-user-gesture-required");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver is named by the system property, so Selenium Manager never looks for (downloads)
    // one.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    driver = new ChromeDriver(options);
  }

  static boolean available() {
    return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
  }

  WebDriverWait waiting() {
    // Lists are re-rendered as events arrive: an element may go stale between finding and reading
    // it.
    return (WebDriverWait)
        new WebDriverWait(driver, WAIT)
            .pollingEvery(Duration.ofMillis(50))
            .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  WebElement visible(String id) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  WebElement visible(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void textIn(String id, String fragment) {
    waiting()
        .withMessage(
            () ->
                "#"
                    + id
                    + " to contain '"
                    + fragment
                    + "' but was '"
                    + driver.findElement(By.id(id)).getText()
                    + "'")
        .until(d -> d.findElement(By.id(id)).getText().contains(fragment));
  }

  /** Opens the page and waits until its script has loaded the state and the jobs. */
  void open(java.net.URI url) {
    driver.get(url.toString());
    waiting()
        .until(
            d ->
                "true"
                    .equals(
                        ((JavascriptExecutor) d)
                            .executeScript("return document.body.dataset.ready")));
  }

  void page(String name) {
    driver.findElement(By.id("nav-" + name)).click();
    visible("page-" + name);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Console entries of level SEVERE since the last call, except the HTTP statuses a test provoked
   * on purpose.
   */
  List<String> consoleErrors(String... allowedFragments) {
    List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
    return entries.stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> java.util.Arrays.stream(allowedFragments).noneMatch(m::contains))
        .toList();
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (Exception e) {
      // A screenshot is a diagnostic; the test's own failure is what matters.
    }
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
  }

  WebDriver driver() {
    return driver;
  }

  Map<String, Object> capabilities() {
    return driver.getCapabilities().asMap();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
