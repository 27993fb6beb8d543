package io.openavathar.testkit.comfy;

import java.util.Collection;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The numbers one InfiniteTalk run produces, derived from the graph as WanVideoWrapper would
 * (reference §4.6).
 *
 * @param width output width, from the INTConstants linked into ImageResizeKJv2 (or core
 *     ImageScale's width)
 * @param height output height
 * @param frames T = min(num_frames, floor(audio seconds x fps))
 * @param steps sampler steps per window
 * @param windows windows actually sampled: max(1, 1 + ceil((T - W) / (W - M)))
 * @param progressMax the sampler's estimate (floor(T / (W - M)) + 1) x steps, which can exceed
 *     windows x steps
 * @param videoFrames frames in the generated video: W + (W - M)(windows - 1)
 */
record RunPlan(
    int width, int height, int frames, int steps, int windows, int progressMax, int videoFrames) {

  static final double FALLBACK_AUDIO_SECONDS = 5.0;

  /**
   * Plans a run of the given nodes.
   *
   * @param audioSeconds the length of the audio a LoadAudio node loads, or empty when unreadable
   */
  static RunPlan of(
      Graph graph, Collection<String> nodes, Function<String, OptionalDouble> audioSeconds) {
    int width = 832;
    int height = 480;
    Optional<String> sizer =
        graph
            .firstOfClass(NodeClasses.RESIZE, nodes)
            .or(() -> graph.firstOfClass(NodeClasses.IMAGE_TO_VIDEO, nodes))
            .or(() -> graph.firstOfClass(NodeClasses.IMAGE_SCALE, nodes));
    if (sizer.isPresent()) {
      width = graph.intInput(sizer.get(), "width").orElse(width);
      height = graph.intInput(sizer.get(), "height").orElse(height);
    }
    int frames = 81;
    Optional<String> embeds = graph.firstOfClass(NodeClasses.EMBEDS, nodes);
    if (embeds.isPresent()) {
      int numFrames = graph.intInput(embeds.get(), "num_frames").orElse(81);
      double fps = graph.numberInput(embeds.get(), "fps").orElse(25);
      double seconds =
          graph
              .firstOfClass(NodeClasses.LOAD_AUDIO, graph.closure(embeds.get()))
              .map(audioSeconds)
              .orElse(OptionalDouble.empty())
              .orElse(FALLBACK_AUDIO_SECONDS);
      frames = Math.max(1, Math.min(numFrames, (int) Math.floor(seconds * fps)));
    }
    int window = 81;
    int motion = 25;
    Optional<String> imageToVideo = graph.firstOfClass(NodeClasses.IMAGE_TO_VIDEO, nodes);
    if (imageToVideo.isPresent()) {
      window = graph.intInput(imageToVideo.get(), "frame_window_size").orElse(window);
      motion = graph.intInput(imageToVideo.get(), "motion_frame").orElse(motion);
    }
    window = Math.max(1, (window - 1) / 4 * 4 + 1);
    int steps =
        graph
            .firstOfClass(NodeClasses.SAMPLER, nodes)
            .map(id -> graph.intInput(id, "steps").orElse(30))
            .orElse(30);
    return of(width, height, frames, steps, window, motion);
  }

  /** Plans a run with T frames, window W and overlap M. */
  static RunPlan of(int width, int height, int frames, int steps, int window, int motion) {
    int stride = Math.max(1, window - motion);
    int windows = frames <= window ? 1 : 1 + (frames - window + stride - 1) / stride;
    int progressMax = (frames / stride + 1) * steps;
    int videoFrames = window + stride * (windows - 1);
    return new RunPlan(width, height, frames, steps, windows, progressMax, videoFrames);
  }

  boolean portrait() {
    return height > width;
  }
}
