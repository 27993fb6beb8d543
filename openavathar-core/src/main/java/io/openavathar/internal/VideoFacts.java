package io.openavathar.internal;

import com.drew.imaging.mp4.Mp4MetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished MP4 says about itself, read with metadata-extractor from its boxes (the sample
 * data is skipped, not read): the size of its video track as displayed, its duration and its frame
 * count. The job engine and the gallery record these rather than what the request asked for, which
 * a workflow may not have honoured.
 *
 * <p>The frame count is the video track's frame rate (which metadata-extractor computes from the
 * track's sample count and duration) times the movie's duration, rounded: metadata-extractor 2.19
 * does not expose the sample count itself. The two agree unless the audio track runs longer than
 * the video.
 *
 * @param width the video's width in pixels as displayed (after a quarter-turn rotation, if the file
 *     has one)
 * @param height the video's height in pixels as displayed
 * @param frames the video frames, duration x frame rate
 * @param duration the movie's duration
 */
public record VideoFacts(int width, int height, int frames, Duration duration) {
  private static final Logger log = LoggerFactory.getLogger(VideoFacts.class);

  /**
   * The facts of an MP4 (or MOV) file; empty, logged at DEBUG, if it cannot be read or has no video
   * track.
   */
  public static Optional<VideoFacts> read(Path file) {
    try {
      Metadata metadata = Mp4MetadataReader.readMetadata(file.toFile());
      Mp4Directory movie = metadata.getFirstDirectoryOfType(Mp4Directory.class);
      Mp4VideoDirectory video = metadata.getFirstDirectoryOfType(Mp4VideoDirectory.class);
      Integer width = video == null ? null : video.getInteger(Mp4VideoDirectory.TAG_WIDTH);
      Integer height = video == null ? null : video.getInteger(Mp4VideoDirectory.TAG_HEIGHT);
      Double fps = video == null ? null : video.getDoubleObject(Mp4VideoDirectory.TAG_FRAME_RATE);
      Long units = movie == null ? null : movie.getLongObject(Mp4Directory.TAG_DURATION);
      Long scale = movie == null ? null : movie.getLongObject(Mp4Directory.TAG_TIME_SCALE);
      if (width == null
          || height == null
          || width <= 0
          || height <= 0
          || fps == null
          || !(fps > 0)
          || Double.isInfinite(fps)
          || units == null
          || scale == null
          || units <= 0
          || scale <= 0) {
        log.debug(
            "No video facts in {} [width={}, height={}, fps={}, duration={}, timescale={}]",
            file,
            width,
            height,
            fps,
            units,
            scale);
        return Optional.empty();
      }
      Duration duration = Duration.ofMillis(Math.round(units * 1000.0 / scale));
      long frames = Math.round(fps * units / scale);
      if (frames > Integer.MAX_VALUE) {
        log.debug("Implausible frame count in {}: {}", file, frames);
        return Optional.empty();
      }
      Integer rotation = movie.getInteger(Mp4Directory.TAG_ROTATION);
      boolean quarterTurn = rotation != null && Math.floorMod(rotation, 180) == 90;
      return Optional.of(
          quarterTurn
              ? new VideoFacts(height, width, (int) frames, duration)
              : new VideoFacts(width, height, (int) frames, duration));
    } catch (IOException | RuntimeException e) {
      // metadata-extractor throws assorted runtime exceptions on malformed input.
      log.debug("Could not read the video facts of {}", file, e);
      return Optional.empty();
    }
  }
}
