package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Flow D (a second pod, the pod selector, the job on the chosen pod) and a restart with a job in
 * flight.
 */
class PodFlowsBrowserTest extends BrowserFixture {

  @Test
  void flowD_aSecondPod_showsTheSelector_andTheJobRunsOnTheChosenPod() throws Exception {
    startRunPod(Duration.ofMillis(10));
    startStudio(backends());
    openAndEnterRunPodKey();

    browser.page("pods");
    browser.visible("pods-empty");
    browser.visible("new-pod");
    browser
        .waiting()
        .until(d -> !new Select(d.findElement(By.id("new-pod-gpu"))).getOptions().isEmpty());
    browser.driver().findElement(By.id("create-pod")).click();
    browser.waiting().until(d -> d.findElements(By.cssSelector("#pod-list li")).size() == 1);
    browser.waiting().until(d -> d.findElement(By.id("create-pod")).isEnabled());
    browser.driver().findElement(By.id("create-pod")).click();
    browser.waiting().until(d -> d.findElements(By.cssSelector("#pod-list li")).size() == 2);
    browser
        .waiting()
        .until(
            d ->
                d.findElements(By.cssSelector("#pod-list li")).stream()
                    .allMatch(li -> li.getText().contains("(ready)")));
    List<String> podIds =
        browser.driver().findElements(By.cssSelector("#pod-list li")).stream()
            .map(li -> li.getAttribute("data-pod-id"))
            .toList();

    // Live logs of a pod.
    browser
        .driver()
        .findElement(By.cssSelector("#pod-list li[data-pod-id='" + podIds.get(1) + "'] .pod-logs"))
        .click();
    browser.visible("log-panel");
    browser.waiting().until(d -> !d.findElement(By.id("pod-logs")).getText().isBlank());
    browser.driver().findElement(By.id("close-logs")).click();

    browser.page("studio");
    browser.visible("pod-choice");
    Select pods = new Select(browser.driver().findElement(By.id("pod-select")));
    assertThat(pods.getOptions()).hasSize(3);
    assertThat(pods.getOptions().get(1).getText()).matches("Pod .+ \\(idle\\)");
    String chosen = podIds.get(1);
    pods.selectByValue(chosen);
    chooseInputs(2);
    String id = generate();

    awaitJob(id, "COMPLETED");
    assertThat(job(id).getAttribute("data-pod-id")).isEqualTo(chosen);
    assertThat(runpod.comfyOf(chosen).orElseThrow().promptIdsSeen()).contains(id);
    assertThat(runpod.comfyOf(podIds.get(0)).orElseThrow().promptIdsSeen()).isEmpty();
    assertThat(runpod.createCalls()).isEqualTo(2); // the job started no pod of its own

    // Stop one pod, terminate the other.
    browser.page("pods");
    browser.visible(By.cssSelector("#pod-list li[data-pod-id='" + chosen + "'] .pod-stop")).click();
    browser
        .waiting()
        .until(
            d ->
                "EXITED"
                    .equals(
                        d.findElement(By.cssSelector("#pod-list li[data-pod-id='" + chosen + "']"))
                            .getAttribute("data-status")));
    browser
        .driver()
        .findElement(
            By.cssSelector("#pod-list li[data-pod-id='" + podIds.get(0) + "'] .pod-terminate"))
        .click();
    browser.waiting().until(d -> d.findElements(By.cssSelector("#pod-list li")).size() == 1);
    assertThat(runpod.billingPods()).isEmpty();
  }

  @Test
  void aRestartWithAJobInFlight_showsTheRunningJob_withLiveProgress_untilItsVideo()
      throws Exception {
    startRunPod(Duration.ofMillis(250));
    Backends backends = backends();
    startStudio(backends);
    openAndEnterRunPodKey();
    chooseInputs(6);
    String id = generate();
    browser.waiting().until(d -> "GENERATING".equals(job(id).getAttribute("data-state")));

    browser
        .driver()
        .get("about:blank"); // the old page would try to reconnect to the stopped server
    studio.close();
    startStudio(backends);
    browser.open(studio.launchUrl());

    // The new page shows the job still running (the resumed job re-attached to its prompt), then
    // its end, live.
    WebElement resumed = browser.visible(By.cssSelector("li[data-job-id='" + id + "']"));
    assertThat(resumed.getAttribute("data-states")).doesNotContain("COMPLETED");
    assertThat(resumed.findElement(By.className("job-cancel")).isDisplayed()).isTrue();
    awaitJob(id, "COMPLETED");
    assertThat(job(id).getAttribute("data-states")).matches("(SUBMITTED|GENERATING).* COMPLETED");
    assertThat(job(id).findElements(By.tagName("video"))).hasSize(1);
    assertThat(runpod.comfyOf(job(id).getAttribute("data-pod-id")).orElseThrow().promptIdsSeen())
        .as("the prompt was re-attached, not submitted again")
        .containsOnlyOnce(id);
  }
}
