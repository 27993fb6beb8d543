package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.CostEstimate;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.SpendLimitException;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import io.openavathar.testkit.media.SampleMedia;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a video will cost before anything starts, a cap per video and a cap per day (UTC). Every
 * check runs before a pod is started or a file uploaded; a refused video costs nothing. (The
 * per-hour price cap of a pod is {@code PodSpec.maxPricePerHour}.)
 *
 * <pre>
 * RUNPOD_API_KEY=... java -cp openavathar.jar io.openavathar.examples.SpendLimits portrait.png speech.wav
 * java -cp openavathar.jar io.openavathar.examples.SpendLimits   # a simulated RunPod (with prices), the sample media
 * </pre>
 */
public final class SpendLimits {
  private SpendLimits() {}

  /** At most this many videos, whatever the caps let through. */
  static final int MAX_VIDEOS = 4;

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("openavathar-spend-");
    String key = System.getenv("RUNPOD_API_KEY");
    RunPodSimulator simulator = null;
    RunPodPodProvider.Builder provider = RunPodPodProvider.builder();
    Path portrait;
    Path speech;
    if (key != null && args.length >= 2) {
      provider.apiKey(key);
      portrait = Path.of(args[0]);
      speech = Path.of(args[1]);
    } else {
      System.out.println(
          "No RUNPOD_API_KEY and files given: using a simulated RunPod (its prices are made up).");
      simulator = RunPodSimulator.start();
      provider
          .apiKey("simulated-key")
          .apiUrl(simulator.apiUrl())
          .proxyUrlPattern(simulator.proxyUrlPattern());
      portrait = SampleMedia.portrait();
      speech = SampleMedia.speech();
    }
    PodPolicy policy =
        PodPolicy.builder()
            .deploySpec(PodSpec.builder().maxPricePerHour(1.00).minGpuMemoryGb(24).build())
            .idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP)
            .build();
    GenerationRequest request = GenerationRequest.builder().image(portrait).audio(speech).build();

    try (RunPodPodProvider runPod = provider.build()) {
      // 1. The estimate: which GPU, whether a pod must boot first, GPU time and cost, each as a
      // range. It starts
      //    nothing; after a few videos on a GPU type it is based on your own measured runs.
      double expected;
      try (AvatarStudio studio = studio(runPod, policy, work, 0)) {
        CostEstimate estimate = studio.estimate(request).join();
        System.out.println("Estimate: " + estimate);
        expected = estimate.costUsd().map(CostEstimate.Range::expected).orElse(0.0);

        if (expected == 0) {
          System.out.println("The GPU has no price here, so there is nothing to cap.");
          return;
        }
        // 2. A cap per video: the job fails with SpendLimitException when its estimate is over the
        // cap (here half
        //    the estimate, so it is refused).
        try {
          studio
              .generate(request.toBuilder().maxCostUsd(expected / 2).build())
              .await(Duration.ofMinutes(5));
        } catch (SpendLimitException e) {
          System.out.printf(Locale.ROOT, "Refused (cap $%.4f): %s%n", e.limitUsd(), e.getMessage());
        }
      }

      // 3. A cap per day: the studio refuses a video whose estimate would take today's spend (UTC,
      // all videos made
      //    on this data directory) past the cap. Here the cap is 1.5 videos, so the second one is
      // refused.
      double dailyCap = expected * 1.5;
      try (AvatarStudio studio = studio(runPod, policy, work, dailyCap)) {
        Set<String> podsUsed = new TreeSet<>();
        for (int i = 1; i <= MAX_VIDEOS; i++) {
          try {
            GeneratedVideo video = studio.generate(request).await(Duration.ofHours(1));
            System.out.printf(
                Locale.ROOT,
                "Video %d cost $%.4f (%.0f GPU-s on %s)%n",
                i,
                video.costUsd().orElse(0),
                video.gpuSeconds(),
                video.gpuType());
            podsUsed.add(video.podId());
          } catch (SpendLimitException e) {
            System.out.printf(
                Locale.ROOT,
                "Video %d refused by the daily cap of $%.4f ($%.4f left): %s%n",
                i,
                dailyCap,
                e.limitUsd(),
                e.getMessage());
            break;
          }
        }
        // 4. Nothing left billing: a program that ends now stops the pods it used (the idle stop
        // dies with it).
        for (String podId : podsUsed) {
          studio.pods().stop(podId).join();
          System.out.println("Stopped pod " + podId);
        }
      }
    } finally {
      if (simulator != null) {
        System.out.println(
            "Pods still billing on the simulated account: " + simulator.billingPods());
        simulator.close();
      }
    }
  }

  private static AvatarStudio studio(
      RunPodPodProvider runPod, PodPolicy policy, Path work, double dailyCapUsd) {
    AvatarStudio.Builder builder =
        AvatarStudio.builder()
            .podProvider(runPod)
            .podPolicy(policy)
            .dataDirectory(work.resolve("data")) // the day's spend is read from here
            .outputDirectory(work.resolve("videos"));
    return dailyCapUsd > 0 ? builder.dailySpendCapUsd(dailyCapUsd).build() : builder.build();
  }
}
