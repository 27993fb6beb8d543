package io.openavathar.internal.job;

import io.openavathar.CostEstimate.Basis;
import io.openavathar.CostEstimate.Range;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How long InfiniteTalk takes on a GPU type: a fixed part per job (models into VRAM, encoding) plus
 * seconds per sampled frame, from published figures until this studio has measured runs of its own,
 * then fitted to those.
 *
 * <p>Why sampled frames and not video frames: InfiniteTalk samples whole 81-frame windows
 * (overlapping by 9), so a one-second clip costs a whole window and GPU time grows in steps of 72
 * frames.
 *
 * <p>The published figures: community reports of InfiniteTalk at 480p with the lightx2v distill
 * LoRA on an RTX 4090 give about 77-80 s per 81-frame window at 4 steps, about 1.1-1.4 s per frame
 * (MeiGen-AI/InfiniteTalk issues #89 and #93); our workflow samples 6 steps, so about 1.6 s per
 * frame. Other GPU types are scaled by their usual speed relative to the 4090 in Wan 2.1 video
 * generation. Without history the span is wide (-40% to +60%) on purpose.
 */
final class CostModel {
  /** A finished run: frames sampled (whole windows) and the GPU seconds ComfyUI spent. */
  record Run(int sampledFrames, double gpuSeconds) {}

  /**
   * Seconds per job and per sampled frame, with the relative span around them; {@code
   * minFrames..maxFrames} is the span of the runs measured (0 for published figures), outside which
   * the span widens.
   */
  record Speed(
      double overheadSeconds,
      double secondsPerFrame,
      double spreadDown,
      double spreadUp,
      Basis basis,
      int runs,
      int minFrames,
      int maxFrames) {
    Range gpuSeconds(int sampledFrames) {
      double expected = overheadSeconds + secondsPerFrame * sampledFrames;
      double beyond = 0;
      if (minFrames > 0 && sampledFrames < minFrames) {
        beyond = Math.min(0.3, 0.15 * (minFrames / (double) sampledFrames - 1));
      } else if (maxFrames > 0 && sampledFrames > maxFrames) {
        beyond = Math.min(0.3, 0.15 * (sampledFrames / (double) maxFrames - 1));
      }
      return new Range(
          expected * Math.max(0, 1 - spreadDown - beyond),
          expected,
          expected * (1 + spreadUp + beyond));
    }
  }

  /** Seconds for a model load and encode per job, published-figure basis. */
  static final double DEFAULT_OVERHEAD_SECONDS = 45;

  /** For GPU types not in the table (or unknown): about an RTX A6000. */
  static final double UNKNOWN_SECONDS_PER_FRAME = 2.4;

  /**
   * Seconds per sampled frame by GPU type, matched by a distinctive part of RunPod's id; first
   * match wins.
   */
  private static final List<Object[]> PUBLISHED =
      List.of(
          new Object[] {"B200", 0.45},
          new Object[] {"H200", 0.6},
          new Object[] {"H100", 0.7},
          new Object[] {"RTX 5090", 1.1},
          new Object[] {"A100", 1.1},
          new Object[] {"L40S", 1.3},
          new Object[] {"RTX 6000 Ada", 1.5},
          new Object[] {"RTX 4090", 1.6},
          new Object[] {"L40", 1.7},
          new Object[] {"RTX 4080", 2.2},
          new Object[] {"RTX A6000", 2.4},
          new Object[] {"A40", 2.4},
          new Object[] {"RTX 3090", 2.6},
          new Object[] {"RTX A5000", 3.0},
          new Object[] {"L4", 4.5});

  /** Default boot: pull-cached template image, ComfyUI start; measured boots replace it. */
  static final Range DEFAULT_BOOT_SECONDS = new Range(60, 150, 420);

  private CostModel() {}

  /**
   * Published seconds per sampled frame for {@code gpuType} (any case; empty or unknown gets the
   * generic figure).
   */
  static double publishedSecondsPerFrame(String gpuType) {
    String type = gpuType.toUpperCase(Locale.ROOT);
    for (Object[] row : PUBLISHED) {
      if (type.contains(((String) row[0]).toUpperCase(Locale.ROOT))) {
        return (Double) row[1];
      }
    }
    return UNKNOWN_SECONDS_PER_FRAME;
  }

  /**
   * The speed on {@code gpuType}: fitted to {@code runs} (newest first) when there are any, else
   * published.
   */
  static Speed speed(String gpuType, List<Run> runs) {
    if (runs.isEmpty()) {
      return new Speed(
          DEFAULT_OVERHEAD_SECONDS,
          publishedSecondsPerFrame(gpuType),
          0.4,
          0.6,
          Basis.PUBLISHED_FIGURES,
          0,
          0,
          0);
    }
    double overhead;
    double perFrame;
    double minFrames = runs.stream().mapToDouble(Run::sampledFrames).min().orElseThrow();
    double maxFrames = runs.stream().mapToDouble(Run::sampledFrames).max().orElseThrow();
    double[] line = maxFrames >= 1.3 * minFrames ? leastSquares(runs) : null;
    if (line != null && line[0] >= 0 && line[1] > 0) {
      overhead = line[0];
      perFrame = line[1];
    } else {
      // One length only (or a line through negative overhead): keep the published share of
      // overhead, scaled.
      double published =
          DEFAULT_OVERHEAD_SECONDS
              / (DEFAULT_OVERHEAD_SECONDS + publishedSecondsPerFrame(gpuType) * meanFrames(runs));
      double meanSeconds = runs.stream().mapToDouble(Run::gpuSeconds).average().orElseThrow();
      overhead = meanSeconds * published;
      perFrame = (meanSeconds - overhead) / meanFrames(runs);
    }
    // The span: the worst miss on the runs themselves, widened while there are few of them.
    double worst = 0;
    for (Run r : runs) {
      double predicted = overhead + perFrame * r.sampledFrames();
      worst = Math.max(worst, Math.abs(r.gpuSeconds() - predicted) / predicted);
    }
    double spread = Math.min(0.5, Math.max(0.08, worst * 1.25 + 0.3 / runs.size()));
    return new Speed(
        overhead,
        perFrame,
        spread,
        spread,
        Basis.MEASURED,
        runs.size(),
        (int) minFrames,
        (int) maxFrames);
  }

  /**
   * Boot seconds: the span of measured boots (newest first) around their median, or the default
   * without any.
   */
  static Range boot(List<Duration> boots) {
    if (boots.isEmpty()) {
      return DEFAULT_BOOT_SECONDS;
    }
    double[] s = boots.stream().mapToDouble(d -> d.toMillis() / 1000.0).sorted().toArray();
    double median =
        s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    double widen = boots.size() < 3 ? 0.5 : 0.15;
    return new Range(s[0] * (1 - widen), median, s[s.length - 1] * (1 + widen));
  }

  /**
   * Frames sampled for {@code frames} video frames: whole windows of {@code window} overlapping by
   * {@code motion}.
   */
  static int sampledFrames(int frames, int window, int motion) {
    int stride = window - motion;
    int windows = frames <= window ? 1 : 1 + (frames - window + stride - 1) / stride;
    return window + stride * (windows - 1);
  }

  /**
   * {overhead, perFrame} of the line through the runs that minimises the squared relative misses
   * (weights 1/y^2): GPU time varies by a share of itself, so a plain least-squares line lets the
   * long runs pull the fixed part off and misses short clips by far more, relatively, than long
   * ones.
   */
  private static double[] leastSquares(List<Run> runs) {
    double sw = 0;
    double swx = 0;
    double swy = 0;
    double swxx = 0;
    double swxy = 0;
    for (Run r : runs) {
      double w = 1 / (r.gpuSeconds() * r.gpuSeconds());
      double x = r.sampledFrames();
      double y = r.gpuSeconds();
      sw += w;
      swx += w * x;
      swy += w * y;
      swxx += w * x * x;
      swxy += w * x * y;
    }
    double slope = (sw * swxy - swx * swy) / (sw * swxx - swx * swx);
    return new double[] {(swy - slope * swx) / sw, slope};
  }

  private static double meanFrames(List<Run> runs) {
    return runs.stream().mapToDouble(Run::sampledFrames).average().orElseThrow();
  }
}
