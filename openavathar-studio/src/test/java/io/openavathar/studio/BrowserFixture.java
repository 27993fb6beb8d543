package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.license.server.LicenseServer;
import io.openavathar.pod.PodPolicy;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What every browser test class shares: one headless Chromium per class, and per test a RunPod
 * simulator (with its ComfyUI simulators), optionally an in-process license server, and a studio
 * server on a fresh data directory. A failing test leaves a screenshot in {@code
 * target/screenshots/}; every test ends with no console errors.
 */
abstract class BrowserFixture {
  static final String RUNPOD_KEY = "rpa_BROWSERTESTKEY0123456789ABCD";
  static Browser browser;

  @TempDir Path dir;
  RunPodSimulator runpod;
  LicenseServer licenseServer;
  StudioServer studio;

  /** Console messages a test provoked on purpose (an HTTP status it expects). */
  String[] allowedConsole = new String[0];

  /**
   * Runs before {@code @AfterEach} (which leaves the page), so the screenshot shows the page the
   * test failed on.
   */
  @RegisterExtension
  final TestExecutionExceptionHandler screenshots =
      (context, cause) -> {
        browser.screenshot(
            Path.of(
                "target",
                "screenshots",
                context.getRequiredTestClass().getSimpleName()
                    + "-"
                    + context.getRequiredTestMethod().getName()
                    + ".png"));
        throw cause;
      };

  @BeforeAll
  static void startBrowser() {
    assertThat(Browser.available())
        .as(
            "Chromium and chromedriver at %s and %s: apt-get install chromium"
                + " chromium-driver (.ci/run does)",
            Browser.CHROMIUM, Browser.CHROMEDRIVER)
        .isTrue();
    browser = new Browser();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @AfterEach
  void stopServers() {
    try {
      assertThat(browser.consoleErrors(allowedConsole)).as("console errors").isEmpty();
    } finally {
      // Leave the page first: its event stream would otherwise break when the server stops, logging
      // an error.
      browser.driver().get("about:blank");
      browser.consoleErrors();
      if (studio != null) {
        studio.close();
      }
      if (runpod != null) {
        runpod.close();
      }
      if (licenseServer != null) {
        licenseServer.close();
      }
    }
  }

  void startRunPod(Duration comfyStep) {
    startRunPod(comfyStep, Duration.ofMillis(100));
  }

  /** RunPod whose pods take about four times {@code boot} to serve ComfyUI. */
  void startRunPod(Duration comfyStep, Duration boot) {
    runpod =
        RunPodSimulator.builder()
            .apiKey(RUNPOD_KEY)
            .provisioningDelay(boot)
            .startingDelay(boot)
            .runtimeDelay(boot)
            .comfyReadyDelay(boot)
            .comfyStepDelay(comfyStep)
            .start();
  }

  void startLicenseServer(Clock clock) {
    licenseServer =
        LicenseServer.builder()
            .port(0)
            .clock(clock)
            .dataDirectory(dir.resolve("license-server"))
            .start();
  }

  Backends backends() {
    Backends.Builder b =
        Backends.builder()
            .runpodApiUrl(runpod.apiUrl())
            .runpodProxyPattern(runpod.proxyUrlPattern())
            .fingerprint(DeviceFingerprint.of("browser-test-" + UUID.randomUUID()))
            .upgradeUrl("https://checkout.example/openavathar-pro")
            .podPolicy(
                PodPolicy.builder()
                    .apiPolling(Duration.ofMillis(20), Duration.ofMillis(200))
                    .probeInterval(Duration.ofMillis(20))
                    .build());
    if (licenseServer != null) {
      b.licenseUrl(licenseServer.baseUrl());
    }
    return b.build();
  }

  StudioServer startStudio(Backends backends) {
    studio =
        StudioServer.builder()
            .port(0)
            .dataDirectory(dir.resolve("data"))
            .backends(backends)
            .start();
    return studio;
  }

  /** Flow A's first visit: the one question, answered with a RunPod key. */
  void openAndEnterRunPodKey() {
    browser.open(studio.launchUrl());
    browser.visible("setup");
    browser.driver().findElement(By.id("runpod-key")).sendKeys(RUNPOD_KEY);
    browser.driver().findElement(By.id("save-runpod-key")).click();
    browser.visible("create");
  }

  void chooseInputs(int speechSeconds) throws Exception {
    browser.driver().findElement(By.id("image-input")).sendKeys(Media.portrait(dir).toString());
    browser
        .driver()
        .findElement(By.id("audio-input"))
        .sendKeys(Media.speech(dir, speechSeconds).toString());
    browser.textIn("image-info", "512 x 768 px");
    browser.textIn("audio-info", speechSeconds + ".0 s of speech");
    browser.visible("image-preview");
  }

  /** Clicks Generate and returns the new job's id (the newest job on the page). */
  String generate() {
    int before = browser.driver().findElements(By.cssSelector("#job-list li")).size();
    browser.waiting().until(d -> d.findElement(By.id("generate")).isEnabled());
    browser.driver().findElement(By.id("generate")).click();
    browser.waiting().until(d -> d.findElements(By.cssSelector("#job-list li")).size() > before);
    return browser.driver().findElement(By.cssSelector("#job-list li")).getAttribute("data-job-id");
  }

  WebElement job(String id) {
    return browser.driver().findElement(By.cssSelector("li[data-job-id='" + id + "']"));
  }

  void awaitJob(String id, String state) {
    browser
        .waiting()
        .withMessage(
            () ->
                "job "
                    + id
                    + " to be "
                    + state
                    + ", saw "
                    + job(id).getAttribute("data-states")
                    + " / "
                    + job(id).getText())
        .until(d -> state.equals(job(id).getAttribute("data-state")));
  }
}
