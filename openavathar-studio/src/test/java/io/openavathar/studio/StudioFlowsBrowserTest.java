package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Flows A (first visit to video in the gallery) and cancel, in headless Chromium. */
class StudioFlowsBrowserTest extends BrowserFixture {

  @Test
  void flowA_firstVisit_key_generate_autoStart_progress_videoInGallery() throws Exception {
    startRunPod(Duration.ofMillis(20), Duration.ofMillis(400));
    startStudio(backends());

    openAndEnterRunPodKey();
    assertThat(Files.readString(dir.resolve("data/config.properties")))
        .contains("runpod-api-key=" + RUNPOD_KEY);
    assertThat(browser.driver().getPageSource()).doesNotContain(RUNPOD_KEY);
    assertThat(browser.driver().findElement(By.id("limit-banner")).isDisplayed())
        .isFalse(); // no license server
    chooseInputs(3);
    String id = generate();

    // No pod was running: the overlay shows the real boot stages, then the job runs and the video
    // appears.
    browser.visible("boot-overlay");
    browser.textIn("boot-stages", "Requesting GPU pod");
    awaitJob(id, "COMPLETED");
    assertThat(job(id).getAttribute("data-states"))
        .contains("WAITING_FOR_POD", "GENERATING", "COMPLETED");
    assertThat(browser.driver().findElement(By.id("boot-overlay")).isDisplayed()).isFalse();
    WebElement video = job(id).findElement(By.tagName("video"));
    assertThat(video.getAttribute("src")).contains("/api/videos/");
    browser
        .waiting()
        .until(d -> ((Number) browser.js("return arguments[0].readyState", video)).intValue() >= 1);
    assertThat(job(id).findElement(By.className("job-download")).getAttribute("href"))
        .endsWith("?download=1");
    assertThat(runpod.createCalls()).isEqualTo(1);
    browser.screenshot(Path.of("target", "studio-page.png"));

    browser.page("videos");
    WebElement item = browser.visible(By.cssSelector("#video-list li"));
    assertThat(item.findElement(By.className("poster")).getAttribute("src"))
        .contains("/api/uploads/");
    assertThat(item.getText()).contains("s video").contains("Download");
    assertThat(browser.driver().findElement(By.id("videos-empty")).isDisplayed()).isFalse();

    // Make again: the same portrait and speech, a new job, a second video; then delete the first.
    String firstVideo = item.getAttribute("data-video-id");
    item.findElement(By.className("video-again")).click();
    browser.visible("page-studio");
    browser.waiting().until(d -> d.findElements(By.cssSelector("#job-list li")).size() == 2);
    String again =
        browser.driver().findElement(By.cssSelector("#job-list li")).getAttribute("data-job-id");
    awaitJob(again, "COMPLETED");
    browser.page("videos");
    browser.waiting().until(d -> d.findElements(By.cssSelector("#video-list li")).size() == 2);
    browser
        .driver()
        .findElement(By.cssSelector("li[data-video-id='" + firstVideo + "'] .video-delete"))
        .click();
    browser.driver().switchTo().alert().accept();
    browser.waiting().until(d -> d.findElements(By.cssSelector("#video-list li")).size() == 1);
    assertThat(
            browser.driver().findElements(By.cssSelector("li[data-video-id='" + firstVideo + "']")))
        .isEmpty();
  }

  @Test
  void cancel_stopsTheJob_andThePageSaysCancelled() throws Exception {
    startRunPod(Duration.ofMillis(400));
    startStudio(backends());
    openAndEnterRunPodKey();
    chooseInputs(8);
    String id = generate();
    browser.waiting().until(d -> "GENERATING".equals(job(id).getAttribute("data-state")));

    job(id).findElement(By.className("job-cancel")).click();

    awaitJob(id, "CANCELLED");
    assertThat(job(id).findElement(By.className("job-stage")).getText()).isEqualTo("Cancelled");
    assertThat(job(id).findElement(By.className("job-cancel")).isDisplayed()).isFalse();
  }

  @Test
  void aBadFile_showsTheSdksErrorInline_andGenerateStaysOff() throws Exception {
    startRunPod(Duration.ofMillis(20));
    startStudio(backends());
    openAndEnterRunPodKey();
    Path notAnImage = dir.resolve("notes.png");
    Files.writeString(notAnImage, "this is not a picture");
    allowedConsole = new String[] {"status of 400"};

    browser.driver().findElement(By.id("image-input")).sendKeys(notAnImage.toString());

    browser.waiting().until(d -> !d.findElement(By.id("image-error")).getText().isBlank());
    assertThat(browser.driver().findElement(By.id("generate")).isEnabled()).isFalse();
    assertThat(runpod.createCalls()).isZero();
  }

  @Test
  void aRejectedRunPodKey_failsTheJob_withAMessageThatDoesNotRepeatTheKey() throws Exception {
    startRunPod(Duration.ofMillis(20));
    startStudio(backends());
    String wrongKey = "rpa_WRONGWRONGWRONGWRONG0123456789";
    browser.open(studio.launchUrl());
    browser.visible("setup");
    browser.driver().findElement(By.id("runpod-key")).sendKeys(wrongKey);
    browser
        .driver()
        .findElement(By.id("runpod-key"))
        .sendKeys(org.openqa.selenium.Keys.ENTER); // keyboard only
    browser.visible("create");
    chooseInputs(2);
    browser.driver().findElement(By.id("generate")).sendKeys(org.openqa.selenium.Keys.ENTER);
    browser.waiting().until(d -> !d.findElements(By.cssSelector("#job-list li")).isEmpty());
    String id =
        browser.driver().findElement(By.cssSelector("#job-list li")).getAttribute("data-job-id");

    awaitJob(id, "FAILED");
    String error = job(id).findElement(By.className("job-error")).getText();
    assertThat(error).containsIgnoringCase("key").doesNotContain(wrongKey);
    assertThat(browser.driver().getPageSource()).doesNotContain(wrongKey);
  }

  @Test
  void thePagesAreReadableAt375px_andEveryControlIsLabelled() {
    startRunPod(Duration.ofMillis(20));
    startStudio(backends());
    browser.resize(375, 800);
    try {
      browser.open(studio.launchUrl());
      for (String page : new String[] {"studio", "videos", "settings", "pods"}) {
        browser.driver().get(studio.baseUrl() + "#" + page);
        browser.visible("page-" + page);
        assertThat(((Number) browser.js("return document.documentElement.scrollWidth")).intValue())
            .as("page %s scrolls sideways at 375 px", page)
            .isLessThanOrEqualTo(375);
        browser.screenshot(Path.of("target", "screenshots-375", page + ".png"));
      }
      Object unlabelled =
          browser.js(
              "return [...document.querySelectorAll('input, select')]"
                  + ".filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.id)");
      assertThat((java.util.List<?>) unlabelled).isEmpty();
    } finally {
      browser.resize(1280, 1000);
    }
  }

  @Test
  void demoMode_saysOnEveryPageThatTheBackendsAreSimulated_andOffersAProKeyToTry() {
    studio =
        StudioServer.builder()
            .port(0)
            .dataDirectory(dir.resolve("demo"))
            .backends(DemoBackends.start(dir.resolve("demo")))
            .start();
    browser.open(studio.launchUrl());
    for (String page : new String[] {"studio", "videos", "settings", "pods"}) {
      browser.page(page);
      assertThat(browser.driver().findElement(By.id("demo-banner")).getText())
          .contains("simulated");
    }
    browser.page("settings");
    browser.textIn("demo-key", "Demo: try Pro with the key OAVR-");
    browser.textIn("limit-banner", "Free: 1 of 1 videos today");
  }
}
