package io.openavathar.examples.cli;

import io.openavathar.GenerationJob;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows a job's progress as a terminal progress bar (percent, stage, ETA) on stderr. */
final class ProgressRenderer implements JobListener, AutoCloseable {
  private static final int SCALE = 1000;
  /** Long messages (file paths) would squeeze the bar to nothing. */
  private static final int MESSAGE_WIDTH = 40;
  private final ProgressBar bar;

  ProgressRenderer(PrintStream err) {
    this.bar = new ProgressBarBuilder()
        .setTaskName("Avatar")
        .setInitialMax(SCALE)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .setMaxRenderedLength(120)
        .setConsumer(new ConsoleProgressBarConsumer(err))
        .build();
  }

  @Override
  public void onProgress(GenerationJob job, JobProgress p) {
    bar.stepTo(Math.round(p.fraction() * SCALE));
    String m = p.message();
    bar.setExtraMessage(m.length() > MESSAGE_WIDTH ? m.substring(0, MESSAGE_WIDTH - 1) + "…" : m);
  }

  @Override
  public void close() {
    bar.close();
  }
}
