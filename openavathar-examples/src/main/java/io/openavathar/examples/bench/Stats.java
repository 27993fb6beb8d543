package io.openavathar.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;

/** Small helpers shared by the benchmarks: percentiles and peak heap. */
final class Stats {
  private Stats() {}

  /** The p-th percentile (0-100) of the values, nearest-rank. */
  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double median(double[] values) {
    return percentile(values, 50);
  }

  /** Peak heap used since the JVM started (sum of the heap pools' peaks), in MiB. */
  static double peakHeapMib() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024.0 * 1024.0);
  }

  static double maxHeapMib() {
    return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
  }
}
