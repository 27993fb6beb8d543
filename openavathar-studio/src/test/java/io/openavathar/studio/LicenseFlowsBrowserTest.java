package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Flows B (the daily limit) and C (Pro), against an in-process license server. */
class LicenseFlowsBrowserTest extends BrowserFixture {

  @Test
  void flowB_theSecondVideoOfTheDay_opensTheLimitDialog_withTheTimeUntilReset() throws Exception {
    // The license server's day is at 21:30 UTC, so the free video comes back in 2 h 30 min.
    Instant evening = LocalDate.now(ZoneOffset.UTC).atTime(21, 30).toInstant(ZoneOffset.UTC);
    startLicenseServer(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), evening)));
    startRunPod(Duration.ofMillis(10));
    startStudio(backends());
    allowedConsole =
        new String[] {
          "status of 402"
        }; // the second generate may be refused by the server: expected

    openAndEnterRunPodKey();
    browser.textIn("limit-banner", "Free: 1 of 1 videos today");
    chooseInputs(2);
    awaitJob(generate(), "COMPLETED");

    browser.driver().findElement(By.id("generate")).click();

    browser.visible("limit-dialog");
    assertThat(browser.driver().findElement(By.id("limit-title")).getText())
        .isEqualTo("Free: 1 video a day. Pro: unlimited, one payment");
    String reset = browser.driver().findElement(By.id("limit-reset")).getText();
    // The protocol says resetsIn in whole minutes ("2h 29m"), so the countdown starts up to a
    // minute early.
    assertThat(reset).matches("Your free video comes back in 2:(30:00|29:[0-5]\\d|28:[0-5]\\d)\\.");
    browser
        .waiting()
        .until(d -> !d.findElement(By.id("limit-reset")).getText().equals(reset)); // it counts down
    assertThat(browser.driver().findElement(By.id("limit-upgrade")).getAttribute("href"))
        .isEqualTo("https://checkout.example/openavathar-pro");
    assertThat(browser.driver().findElement(By.id("limit-upgrade")).getText())
        .isEqualTo("Upgrade, $29");
    assertThat(browser.driver().findElements(By.cssSelector("#job-list li"))).hasSize(1);

    browser.driver().findElement(By.id("limit-wait")).click();
    browser.waiting().until(d -> !d.findElement(By.id("limit-dialog")).isDisplayed());
    browser.textIn("limit-banner", "Free: 0 of 1 videos today");
  }

  @Test
  void flowC_activatingAKey_showsPro_dropsTheLimit_andAllowsMoreVideos() throws Exception {
    startLicenseServer(Clock.systemUTC());
    String key = licenseServer.issueLicense("buyer@example.com").value();
    startRunPod(Duration.ofMillis(10));
    startStudio(backends());
    openAndEnterRunPodKey();
    browser.textIn("limit-banner", "Free: 1 of 1 videos today");

    browser.page("settings");
    browser.textIn("license-status", "Free: 0 of 1 videos used today.");
    browser.driver().findElement(By.id("license-key")).sendKeys(key.toLowerCase());
    browser.driver().findElement(By.id("activate-license")).click();

    browser.visible("plan-badge");
    browser.textIn("license-devices", "Devices: 1 of 3 used.");
    browser.textIn("license-status", "Pro: unlimited videos");
    assertThat(browser.driver().findElement(By.id("limit-banner")).isDisplayed()).isFalse();
    assertThat(browser.driver().getPageSource()).doesNotContain(key);

    browser.page("studio");
    chooseInputs(2);
    String first = generate();
    awaitJob(first, "COMPLETED");
    String second = generate();
    awaitJob(second, "COMPLETED");
    assertThat(browser.driver().findElement(By.id("limit-dialog")).isDisplayed()).isFalse();

    browser.page("settings");
    browser.driver().findElement(By.id("deactivate-license")).click();
    browser.waiting().until(d -> !d.findElement(By.id("plan-badge")).isDisplayed());
    browser.textIn("limit-banner", "Free:");
  }
}
