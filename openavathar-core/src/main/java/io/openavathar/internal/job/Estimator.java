package io.openavathar.internal.job;

import io.openavathar.CostEstimate;
import io.openavathar.Setting;
import io.openavathar.SpendLimitException;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.internal.pod.PodPlacement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Estimates a prepared job's GPU time and cost on the pod it would run on ({@link CostModel}), and
 * refuses jobs over the request's maximum cost or the studio's daily spend cap before anything is
 * started.
 */
final class Estimator {
  /** Runs of history per GPU type the fit uses, newest first. */
  static final int RUNS = 20;

  /** Boots the boot time uses, newest first. */
  static final int BOOTS = 10;

  /** What this studio has measured and spent, from its store. */
  interface History {
    /** Finished runs on {@code gpuType}, newest first, at most {@code limit}. */
    List<CostModel.Run> runs(String gpuType, int limit);

    /** How long pods of {@code gpuType} took to boot, newest first, at most {@code limit}. */
    List<Duration> boots(String gpuType, int limit);

    /** USD recorded as spent since {@code since}. */
    double spentSince(Instant since);
  }

  private final DefaultPodManager pods;
  private final History history;
  private final Clock clock;
  private final double dailySpendCapUsd;

  /** {@code dailySpendCapUsd} 0 means no cap. */
  Estimator(DefaultPodManager pods, History history, Clock clock, double dailySpendCapUsd) {
    this.pods = pods;
    this.history = history;
    this.clock = clock;
    this.dailySpendCapUsd = dailySpendCapUsd;
  }

  CompletableFuture<CostEstimate> estimate(PreparedJob job) {
    return pods.placement().preview(job.request().targetPod()).thenApply(p -> estimate(job, p));
  }

  CostEstimate estimate(PreparedJob job, PodPlacement.Preview placement) {
    int sampled =
        CostModel.sampledFrames(
            job.frames(), job.workflow().frameWindow(), job.workflow().motionFrames());
    List<CostModel.Run> runs =
        history.runs(placement.gpuType(), RUNS).stream()
            .map(
                r ->
                    new CostModel.Run(
                        CostModel.sampledFrames(
                            r.sampledFrames(),
                            job.workflow().frameWindow(),
                            job.workflow().motionFrames()),
                        r.gpuSeconds()))
            .toList();
    CostModel.Speed speed = CostModel.speed(placement.gpuType(), runs);
    CostEstimate.Builder b =
        CostEstimate.builder()
            .gpuType(placement.gpuType())
            .pricePerHour(placement.pricePerHour())
            .frames(job.frames(), Math.max(sampled, job.frames()))
            .gpuSeconds(speed.gpuSeconds(sampled))
            .basis(speed.basis(), speed.runs());
    if (placement.podMustStart()) {
      b.podMustStart(CostModel.boot(history.boots(placement.gpuType(), BOOTS)));
    }
    return b.build();
  }

  /** Whether the job needs the estimate checked before it starts. */
  boolean gates(PreparedJob job) {
    return job.request().maxCostUsd().isPresent() || dailySpendCapUsd > 0;
  }

  /**
   * The estimate, failed with {@link SpendLimitException} when it is over the request's or the
   * day's limit.
   */
  CompletableFuture<CostEstimate> check(PreparedJob job) {
    return estimate(job)
        .thenApply(
            e -> {
              double expected = e.costUsd().map(CostEstimate.Range::expected).orElse(0.0);
              if (job.request().maxCostUsd().isPresent()
                  && expected > job.request().maxCostUsd().getAsDouble()) {
                double max = job.request().maxCostUsd().getAsDouble();
                throw new SpendLimitException(
                    String.format(
                        Locale.ROOT,
                        "This video is estimated at $%.2f ($%.2f-$%.2f: %s), over the limit of $%.2f; nothing was started. "
                            + "Use shorter audio, a cheaper GPU, or raise ",
                        expected,
                        e.costUsd().get().low(),
                        e.costUsd().get().high(),
                        describe(e),
                        max),
                    Setting.MAX_COST,
                    ".",
                    e,
                    max);
              }
              if (dailySpendCapUsd > 0) {
                Instant midnight =
                    LocalDate.now(clock.withZone(ZoneOffset.UTC))
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
                double spent = history.spentSince(midnight);
                if (spent + expected > dailySpendCapUsd) {
                  double left = Math.max(0, dailySpendCapUsd - spent);
                  throw new SpendLimitException(
                      String.format(
                          Locale.ROOT,
                          "Today's spend is $%.2f of the $%.2f daily cap and this video is estimated at $%.2f; nothing was "
                              + "started. Wait until tomorrow (UTC) or raise ",
                          spent,
                          dailySpendCapUsd,
                          expected),
                      Setting.DAILY_SPEND_CAP,
                      ".",
                      e,
                      left);
                }
              }
              return e;
            });
  }

  private static String describe(CostEstimate e) {
    String gpu =
        e.gpuType().isEmpty()
            ? "an unknown GPU"
            : io.openavathar.pod.GpuType.shortName(e.gpuType());
    return String.format(
        Locale.ROOT,
        "%.0f GPU-s on %s%s",
        e.gpuSeconds().expected(),
        gpu,
        e.podMustStart()
            ? String.format(Locale.ROOT, " after a %.0f s boot", e.bootSeconds().expected())
            : "");
  }
}
