package io.openavathar;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** Records a job's states and progress; can run an action the first time a state is entered. */
final class RecordingListener implements JobListener {
  final List<JobState> states = new CopyOnWriteArrayList<>();
  final List<JobProgress> progress = new CopyOnWriteArrayList<>();
  private final JobState trigger;
  private final Consumer<GenerationJob> action;
  final CountDownLatch triggered = new CountDownLatch(1);

  RecordingListener() {
    this(null, j -> {});
  }

  RecordingListener(JobState trigger, Consumer<GenerationJob> action) {
    this.trigger = trigger;
    this.action = action;
  }

  @Override
  public void onStateChanged(GenerationJob job, JobState from, JobState to) {
    states.add(to);
    if (to == trigger && triggered.getCount() > 0) {
      triggered.countDown();
      action.accept(job);
    }
  }

  @Override
  public void onProgress(GenerationJob job, JobProgress p) {
    progress.add(p);
  }
}
