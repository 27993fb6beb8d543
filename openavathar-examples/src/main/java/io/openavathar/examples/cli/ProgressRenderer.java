package io.openavathar.examples.cli;

import io.openavathar.GenerationJob;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import java.io.Console;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a job's progress on stderr, so that it never looks frozen: ComfyUI may load models for
 * minutes while the percentage stands still.
 *
 * <p>On a terminal: one line redrawn in place ({@code \r}) with percent, bar, elapsed time, an
 * estimate of the time left while sampling, and the job's message. It is redrawn at once when the
 * stage changes, at most every 200 ms for other changes (steps, bytes), and every second for the
 * elapsed time. Elsewhere (stderr redirected to a file or a pipe, {@code TERM=dumb}): one plain
 * line per stage, such as {@code [00:12] 7% Loading models (VAE)}, and nothing for mere steps or
 * bytes. The end of a failed or cancelled job is left to the command's own one-line report.
 */
final class ProgressRenderer implements JobListener, AutoCloseable {
  /**
   * Fits an 80-column terminal: wider lines wrap, and each redraw would then leave a line behind.
   */
  static final int WIDTH = 79;

  private static final int BAR = 12;
  private static final long THROTTLE_MILLIS = 200;

  private final PrintStream err;
  private final boolean terminal;
  private final Clock clock;
  private final Instant start;
  private final ScheduledExecutorService ticker;

  // Guarded by this.
  private JobProgress latest;
  private String lastStage;
  private JobState lastState;
  private String drawn = "";
  private Instant drawnAt = Instant.MIN;

  /** When sampling started and the fraction then, for the estimate of the time left. */
  private Instant samplingSince;

  private double samplingFrom;
  private boolean closed;

  /**
   * Draws on {@code err}, redrawing in place when {@code terminal}; no timer (tests call {@link
   * #tick()}).
   */
  ProgressRenderer(PrintStream err, boolean terminal, Clock clock) {
    this(err, terminal, clock, null);
  }

  private ProgressRenderer(
      PrintStream err, boolean terminal, Clock clock, ScheduledExecutorService ticker) {
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
    this.start = clock.instant();
    this.ticker = ticker;
  }

  /**
   * On the process's stderr: redrawn in place (with a timer for the elapsed time) when stderr is a
   * terminal.
   */
  static ProgressRenderer onStderr() {
    if (!isTerminal(System.console(), System.getenv("TERM"))) {
      return new ProgressRenderer(System.err, false, Clock.systemUTC(), null);
    }
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "openavathar-progress");
              t.setDaemon(true);
              return t;
            });
    ProgressRenderer renderer = new ProgressRenderer(System.err, true, Clock.systemUTC(), ticker);
    ticker.scheduleAtFixedRate(renderer::tick, 1, 1, TimeUnit.SECONDS);
    return renderer;
  }

  /**
   * Whether to redraw in place: there is a console (stdin and stdout are a terminal; on Java 22 and
   * later it must also say it is one) and the terminal is not a dumb one. Stderr itself cannot be
   * asked; a redirected stdout counts as not a terminal, which only costs the redraws.
   */
  static boolean isTerminal(Console console, String term) {
    if (console == null || "dumb".equals(term)) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // before Java 22 a console exists only on a terminal
    }
  }

  @Override
  public synchronized void onProgress(GenerationJob job, JobProgress p) {
    if (closed || p.state() == JobState.FAILED || p.state() == JobState.CANCELLED) {
      return;
    }
    Instant now = clock.instant();
    if (p.step() > 0 && samplingSince == null) {
      samplingSince = now;
      samplingFrom = p.fraction();
    }
    boolean newStage = !p.stage().equals(lastStage) || p.state() != lastState;
    latest = p;
    lastStage = p.stage();
    lastState = p.state();
    if (!terminal) {
      if (newStage) {
        err.printf(Locale.ROOT, "[%s] %3d%% %s%n", clockTime(elapsed(now)), percent(p), p.stage());
        err.flush();
      }
    } else if (newStage || !drawnAt.plusMillis(THROTTLE_MILLIS).isAfter(now)) {
      draw(now);
    }
  }

  /**
   * Redraws the line if the elapsed time (or a throttled change) moved it; the timer calls this
   * every second.
   */
  synchronized void tick() {
    if (terminal && !closed && latest != null) {
      draw(clock.instant());
    }
  }

  private void draw(Instant now) {
    String line = line(latest, now);
    if (line.equals(drawn)) {
      return;
    }
    StringBuilder out = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < drawn.length(); i++) {
      out.append(' '); // wipe the rest of a longer line drawn before
    }
    err.print(out);
    err.flush();
    drawn = line;
    drawnAt = now;
  }

  /** {@code " 42% [====> ] 01:23 ETA 02:10 Generating window 2 of 4, step 3 of 6"}, cut to fit. */
  private String line(JobProgress p, Instant now) {
    int filled = (int) Math.round(p.fraction() * BAR);
    StringBuilder b = new StringBuilder(WIDTH);
    b.append(String.format(Locale.ROOT, "%3d%% [", percent(p)));
    b.append("=".repeat(Math.max(0, filled - 1)))
        .append(filled > 0 && filled < BAR ? ">" : filled > 0 ? "=" : "")
        .append(" ".repeat(BAR - filled))
        .append("] ")
        .append(clockTime(elapsed(now)))
        .append(' ');
    timeLeft(p, now).ifPresent(left -> b.append("ETA ").append(clockTime(left)).append(' '));
    String message = p.message();
    int room = WIDTH - b.length();
    b.append(
        message.length() <= room ? message : message.substring(0, Math.max(0, room - 3)) + "...");
    return b.toString();
  }

  /** While sampling: the time so far, scaled by how much is left (model loading is not counted). */
  private Optional<Duration> timeLeft(JobProgress p, Instant now) {
    if (samplingSince == null || p.state() != JobState.GENERATING || p.fraction() <= samplingFrom) {
      return Optional.empty();
    }
    double seconds = Duration.between(samplingSince, now).toMillis() / 1000.0;
    double left = seconds * (1 - p.fraction()) / (p.fraction() - samplingFrom);
    return Optional.of(Duration.ofSeconds(Math.round(left)));
  }

  private Duration elapsed(Instant now) {
    return Duration.between(start, now);
  }

  private static int percent(JobProgress p) {
    return (int) Math.floor(p.fraction() * 100);
  }

  /** {@code 01:23}, or {@code 1:02:03} past an hour. */
  static String clockTime(Duration d) {
    long s = Math.max(0, d.getSeconds());
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (terminal && !drawn.isEmpty()) {
        err.println(); // the command's own lines start below the bar
        err.flush();
      }
    }
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
