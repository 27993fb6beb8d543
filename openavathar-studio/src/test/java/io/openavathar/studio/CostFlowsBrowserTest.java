package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What things cost, in headless Chromium: the estimate before a job (with and without a pod to
 * start), the recorded cost of a video and a pod's cost so far, the "GPU and price" settings, and a
 * job refused by the daily cap.
 */
class CostFlowsBrowserTest extends BrowserFixture {
  static final String RANGE = "about \\$0\\.\\d\\d \\(\\$0\\.\\d\\d-\\$0\\.\\d\\d\\)";

  @Test
  void theEstimateBeforeTheJob_thenTheVideosCost_andThePodsCostSoFar() throws Exception {
    startRunPod(Duration.ofMillis(20), Duration.ofMillis(300));
    startStudio(backends());
    openAndEnterRunPodKey();
    chooseInputs(3);

    // No pod yet: the start is part of the estimate, given as a range.
    browser.textIn("estimate", "Starting your studio (1-2 min) and making this video: about $");
    assertThat(text("estimate")).containsPattern(RANGE).contains("on RTX 4090 at $0.34/h");
    String id = generate();
    browser.visible("boot-overlay");
    browser.textIn("boot-cost", "This video, with the start: about $");
    assertThat(text("boot-cost")).containsPattern(RANGE);
    browser.screenshot(Path.of("target", "studio-estimate.png"));
    awaitJob(id, "COMPLETED");

    // A pod is ready now: just the expected cost.
    browser.driver().findElement(By.id("audio-input")).sendKeys(Media.speech(dir, 2).toString());
    browser.textIn("estimate", "This video: about $");
    assertThat(text("estimate")).matches("This video: about (\\$0\\.\\d\\d|under \\$0\\.01)\\.");

    browser.page("videos");
    WebElement cost = browser.visible(By.cssSelector("#video-list li .video-cost"));
    assertThat(cost.getText())
        .matches("(\\$0\\.\\d\\d|under \\$0\\.01) \\(.*s of GPU time at \\$0\\.34/h\\)");

    browser.page("pods");
    WebElement pod = browser.visible(By.cssSelector("#pod-list li"));
    assertThat(pod.getText())
        .contains("$0.34/h")
        .containsPattern("(\\$0\\.\\d\\d|under \\$0\\.01) so far");
  }

  @Test
  void gpuAndPriceSettings_showErrorsInline_areSaved_andTheDailyCapRefusesAJob_withALinkToSettings()
      throws Exception {
    allowedConsole = new String[] {"status of 400"}; // the wrong price is refused on purpose
    startRunPod(Duration.ofMillis(20));
    startStudio(backends());
    openAndEnterRunPodKey();
    browser.page("settings");

    type("max-price", "0");
    browser.driver().findElement(By.id("save-gpu")).click();
    browser.textIn("gpu-error", "Maximum price per hour must be an amount in dollars above 0");
    assertThat(browser.driver().findElement(By.id("max-price")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id"))
        .isEqualTo("max-price");

    type("min-vram", "24");
    type("max-price", "0.80");
    new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("cloud")))
        .selectByValue("community");
    type("daily-cap", "0.01");
    browser.driver().findElement(By.id("save-gpu")).click();
    browser.textIn("settings-saved", "GPU and price saved.");
    browser.screenshot(Path.of("target", "studio-gpu-settings.png"));
    assertThat(text("gpu-error")).isEmpty();
    assertThat(browser.driver().findElement(By.id("max-price")).getAttribute("aria-invalid"))
        .isNull();
    assertThat(Files.readAllLines(dir.resolve("data/config.properties")))
        .contains("min-vram=24", "max-price=0.80", "cloud=community", "daily-cap=0.01");

    browser.page("studio");
    chooseInputs(3);
    generate();
    WebElement dialog = browser.visible("refusal-dialog");
    browser.textIn("refusal-message", "over your daily cap");
    browser.screenshot(Path.of("target", "studio-refusal.png"));
    assertThat(text("refusal-message"))
        .matches(
            "This video would cost about \\$0\\.\\d\\d, over your daily cap of"
                + " \\$0\\.01 \\(spent today: \\$0\\.00\\)\\. Raise the cap in Settings or wait until tomorrow.*");
    assertThat(runpod.createCalls()).isZero();
    dialog.findElement(By.id("refusal-settings")).click();
    browser.visible("page-settings");
    assertThat(dialog.isDisplayed()).isFalse();
    assertThat(browser.driver().findElement(By.id("daily-cap")).getAttribute("value"))
        .isEqualTo("0.01");
  }

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private void type(String id, String value) {
    WebElement field = browser.driver().findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }
}
