package io.openavathar.internal.job;

import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The estimator's history, read from the studio's store. */
final class StoreHistory implements Estimator.History {
  private final StudioStore store;

  StoreHistory(StudioStore store) {
    this.store = store;
  }

  @Override
  public List<CostModel.Run> runs(String gpuType, int limit) {
    return store.videos(0, 500).stream()
        .filter(v -> v.gpuType().equals(gpuType) && v.gpuSeconds() > 0 && v.frames() > 0)
        .limit(limit)
        .map(StoreHistory::run)
        .toList();
  }

  private static CostModel.Run run(VideoRecord v) {
    return new CostModel.Run(v.frames(), v.gpuSeconds());
  }

  @Override
  public List<Duration> boots(String gpuType, int limit) {
    return List.of();
  }

  @Override
  public double spentSince(Instant since) {
    return 0;
  }
}
