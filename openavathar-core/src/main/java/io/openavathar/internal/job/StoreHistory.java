package io.openavathar.internal.job;

import io.openavathar.store.PodBoot;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The estimator's history, read from the studio's store. */
final class StoreHistory implements Estimator.History {
  /** Videos read to sum a day's spend: far more than a day's videos on any one studio. */
  private static final int DAY_VIDEOS = 10_000;

  private final StudioStore store;

  StoreHistory(StudioStore store) {
    this.store = store;
  }

  @Override
  public List<CostModel.Run> runs(String gpuType, int limit) {
    return store.recentRuns(gpuType, limit).stream()
        .map(
            r ->
                new CostModel.Run(
                    r.requestedFrames() > 0 ? r.requestedFrames() : r.videoFrames(),
                    r.gpuSeconds()))
        .toList();
  }

  @Override
  public List<Duration> boots(String gpuType, int limit) {
    return store.recentBoots(gpuType, limit).stream().map(PodBoot::bootTime).toList();
  }

  /**
   * The videos made since {@code since}, at their recorded cost. Newest first, so the scan stops at
   * the first older one. Boot and idle time are not in it: they are not recorded as spend (see
   * {@code dailySpendCapUsd}).
   */
  @Override
  public double spentSince(Instant since) {
    double sum = 0;
    for (VideoRecord v : store.videos(0, DAY_VIDEOS)) {
      if (v.createdAt().isBefore(since)) {
        break;
      }
      sum += v.costUsd().orElse(0);
    }
    return sum;
  }
}
