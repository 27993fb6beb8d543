package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.GenerationFailedException;
import io.openavathar.JobCancelledException;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodNotFoundException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.WorkflowRejectedException;
import io.openavathar.comfy.HistoryEntry;
import io.openavathar.comfy.ObjectInfo;
import io.openavathar.comfy.OutputFile;
import io.openavathar.comfy.PromptAccepted;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.comfy.UploadedFile;
import io.openavathar.internal.VideoFacts;
import io.openavathar.store.JobRecord;
import io.openavathar.store.VideoRecord;
import io.openavathar.workflow.WorkflowParameters;
import io.openavathar.workflow.WorkflowTemplate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job on a pod that serves ComfyUI: choose the pod, upload image and audio, patch and submit
 * the workflow, follow it to the end (WebSocket events, polling as fallback), download the MP4.
 *
 * <p>The prompt id is the job id, chosen before submission, so the tracker listens before the
 * prompt exists (no event can slip by between the HTTP answer and the subscription) and a cancel
 * can always name the prompt.
 */
final class ComfyPodBackend implements GenerationBackend {
  private static final Logger log = LoggerFactory.getLogger(ComfyPodBackend.class);

  private final PodPool pods;
  private final PromptTracker.Options trackerOptions;
  private final String clientId;
  private final Clock clock;
  private final int retryBudget;
  private final ObjectInfoCache objectInfo = new ObjectInfoCache();
  private final GpuAccount gpus = new GpuAccount();
  private final ScheduledExecutorService scheduler;
  private final Duration cancelTimeout;

  ComfyPodBackend(
      PodPool pods,
      PromptTracker.Options trackerOptions,
      String clientId,
      Clock clock,
      int retryBudget,
      ScheduledExecutorService scheduler,
      Duration cancelTimeout) {
    this.pods = pods;
    this.trackerOptions = trackerOptions;
    this.clientId = clientId;
    this.clock = clock;
    this.retryBudget = retryBudget;
    this.scheduler = scheduler;
    this.cancelTimeout = cancelTimeout;
  }

  @Override
  public CompletableFuture<VideoRecord> run(PreparedJob job, JobControl control) {
    return attempt(job, control, 0);
  }

  @Override
  public CompletableFuture<VideoRecord> resume(
      PreparedJob job, JobControl control, JobRecord record) {
    Optional<String> podId = record.podId();
    Optional<String> promptId = record.promptId();
    if (podId.isEmpty() || promptId.isEmpty()) {
      // Never submitted (or the submission was not recorded): start over; uploads are idempotent.
      return attempt(job, control, record.attempt());
    }
    control.transition(JobState.WAITING_FOR_POD);
    return pods.reacquire(podId.get(), record.comfyUrl(), record.clientId(), podProgress(control))
        .thenCompose(
            pod ->
                withPod(pod, () -> reattach(pod, job, control, promptId.get(), record.attempt())))
        .exceptionallyCompose(
            e -> failover(e, job, control, record.attempt(), "pod " + podId.get() + " is gone"));
  }

  /**
   * One try on a (new) pod; a pod lost mid-job moves the job to another pod within the retry
   * budget.
   */
  private CompletableFuture<VideoRecord> attempt(
      PreparedJob job, JobControl control, int attemptNo) {
    control.transition(JobState.WAITING_FOR_POD);
    return pods.acquire(job.request().targetPod(), podProgress(control))
        .thenCompose(
            pod ->
                // The failover starts once this pod is released: the next attempt may need its slot
                // (your own server is often the only pod).
                withPod(
                        pod,
                        () ->
                            submitAndFinish(
                                pod,
                                job,
                                control,
                                attemptNo == 0 ? job.id() : UUID.randomUUID().toString()))
                    .exceptionallyCompose(
                        e ->
                            failover(
                                e,
                                job,
                                control,
                                attemptNo + 1,
                                "pod " + pod.pod.id() + " was lost")));
  }

  private CompletableFuture<VideoRecord> failover(
      Throwable e, PreparedJob job, JobControl control, int nextAttempt, String why) {
    OpenAvatharException failure = DefaultGenerationJob.unwrap(e);
    boolean podLost =
        failure instanceof RemoteUnavailableException || failure instanceof PodNotFoundException;
    if (!podLost
        || control.isCancelled()
        || job.request().targetPod().isPresent()
        || nextAttempt > retryBudget) {
      return CompletableFuture.failedFuture(failure);
    }
    log.debug(
        "Moving job {} to another pod ({}; attempt {} of {}): {}",
        job.id(),
        why,
        nextAttempt,
        retryBudget,
        failure.getMessage());
    control.progress(
        JobProgress.builder(JobState.WAITING_FOR_POD)
            .message("The " + why + "; moving the job to another pod")
            .build());
    return attempt(job, control, nextAttempt);
  }

  private <T> CompletableFuture<T> withPod(
      PodPool.Connection pod, java.util.function.Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    // Dependents of the returned stage run after the release.
    return result.whenComplete((v, e) -> pods.release(pod));
  }

  private Consumer<String> podProgress(JobControl control) {
    return message ->
        control.progress(JobProgress.builder(JobState.WAITING_FOR_POD).message(message).build());
  }

  /**
   * After a restart: the prompt is looked up by its id (queue, then history) and followed to its
   * end; it is never submitted twice. Only a prompt the server no longer knows is submitted again
   * (a new prompt id, same job). The queue is asked first: ComfyUI moves a prompt from its running
   * slot into history in one step, so a prompt that finishes between the two looks is still found
   * (asked the other way round, it would be in neither and be run twice).
   */
  private CompletableFuture<VideoRecord> reattach(
      PodPool.Connection pod, PreparedJob job, JobControl control, String promptId, int attempts) {
    CompletableFuture<Void> stopTracking = new CompletableFuture<>();
    java.util.function.Supplier<CompletableFuture<CancelOutcome>> stop =
        () -> {
          stopTracking.complete(null);
          return RemoteCancel.start(
              pod.client,
              target(pod, job, promptId),
              CompletableFuture.completedFuture(true),
              scheduler,
              cancelTimeout);
        };
    if (!control.cancelWith(stop)) {
      // Cancelled before this studio reached the server: the engine is stopping the prompt the
      // job's record names (GenerationBackend.stopPrompt); nothing more may be sent.
      throw new JobCancelledException("Job " + job.id() + " was cancelled.");
    }
    return pod.client
        .queue()
        .thenCompose(
            queue -> {
              if (queue.positionOf(promptId) >= 0) {
                log.debug(
                    "Re-attached queued or running prompt [job={}, prompt={}]", job.id(), promptId);
                control.transition(JobState.SUBMITTED);
                ProgressModel progress =
                    new ProgressModel(job, job.workflow(), ProgressModel.Sink.of(control), clock);
                CompletableFuture<HistoryEntry> finished = follow(pod, progress, promptId);
                stopTracking.thenRun(() -> finished.cancel(false));
                return finished.thenCompose(e -> finish(pod, job, control, progress, e));
              }
              return pod.client
                  .history(promptId)
                  .thenCompose(
                      entry -> {
                        if (entry.isPresent()) {
                          log.debug(
                              "Re-attached finished prompt [job={}, prompt={}]",
                              job.id(),
                              promptId);
                          return finish(
                              pod,
                              job,
                              control,
                              new ProgressModel(
                                  job, job.workflow(), ProgressModel.Sink.of(control), clock),
                              entry.get());
                        }
                        log.debug(
                            "Pod {} no longer knows prompt {}; submitting job {} again",
                            pod.pod.id(),
                            promptId,
                            job.id());
                        return submitAndFinish(pod, job, control, UUID.randomUUID().toString());
                      });
            });
  }

  /**
   * Checks the server's node classes and model files against the workflow ({@code /object_info},
   * once per server), then uploads, submits and follows the prompt. A server that lacks something
   * fails the job before anything is uploaded. A server that cannot be reached fails the try (so
   * the job moves to another pod); one that answers {@code /object_info} with something unusable (a
   * proxy's 404, say) is not checked, and {@code POST /prompt} validates as before.
   */
  private CompletableFuture<VideoRecord> submitAndFinish(
      PodPool.Connection pod, PreparedJob job, JobControl control, String promptId) {
    checkNotCancelled(control, job);
    CompletableFuture<ObjectInfo> info = objectInfo.get(pod.client);
    return info.handle(
            (server, e) -> {
              if (e != null) {
                OpenAvatharException failure = DefaultGenerationJob.unwrap(e);
                if (failure instanceof RemoteUnavailableException) {
                  throw failure; // the server is gone: the job moves to another pod, as when an
                  // upload fails
                }
                log.debug(
                    "Could not read /object_info of {}; submitting without checking its nodes [job={}]: {}",
                    pod.pod.id(),
                    job.id(),
                    failure.getMessage());
                return null;
              }
              WorkflowPreflight.check(job.workflow(), server, serverName(pod), false)
                  .ifPresent(
                      missing -> {
                        throw missing;
                      });
              return server;
            })
        .thenCompose(checked -> uploadAndSubmit(pod, job, control, promptId, info));
  }

  /**
   * After {@code POST /prompt} refused the workflow: the cached {@code /object_info} may be stale
   * (a node pack or a model removed since), so it is fetched again; if the fresh answer shows what
   * is missing, the job fails with every missing class and file instead of the one the server
   * named, else with the server's own rejection.
   */
  private CompletableFuture<PromptAccepted> afterRejection(
      PodPool.Connection pod, PreparedJob job, Throwable e, CompletableFuture<ObjectInfo> used) {
    OpenAvatharException failure = DefaultGenerationJob.unwrap(e);
    if (!(failure instanceof WorkflowRejectedException)) {
      return CompletableFuture.failedFuture(failure);
    }
    return objectInfo
        .refresh(pod.client, used)
        .handle(
            (info, fetchError) -> {
              if (info != null) {
                WorkflowPreflight.check(job.workflow(), info, serverName(pod), true)
                    .ifPresent(
                        missing -> {
                          throw missing;
                        });
              }
              throw failure;
            });
  }

  /**
   * The server as messages name it: its pod (when the pod has a name of its own) and its URL
   * without credentials.
   */
  private static String serverName(PodPool.Connection pod) {
    String url = pod.client.displayUrl();
    boolean named =
        pod.pod.comfyUiUrl().map(u -> !u.toString().equals(pod.pod.name())).orElse(true);
    return named
        ? "The ComfyUI server of pod '" + pod.pod.name() + "' (" + url + ")"
        : "The ComfyUI server " + url;
  }

  private CompletableFuture<VideoRecord> uploadAndSubmit(
      PodPool.Connection pod,
      PreparedJob job,
      JobControl control,
      String promptId,
      CompletableFuture<ObjectInfo> checkedWith) {
    ProgressModel progress =
        new ProgressModel(job, job.workflow(), ProgressModel.Sink.of(control), clock);
    checkNotCancelled(control, job);
    control.transition(JobState.UPLOADING);
    long total = job.image().sizeBytes() + job.audio().sizeBytes();
    return pod.client
        .upload(job.request().image(), (done, t) -> progress.uploaded(done, total))
        .thenCompose(
            image -> {
              checkNotCancelled(control, job);
              long imageBytes = job.image().sizeBytes();
              return pod.client
                  .upload(
                      job.request().audio(),
                      (done, t) -> progress.uploaded(imageBytes + done, total))
                  .thenApply(audio -> new UploadedFile[] {image, audio});
            })
        .thenCompose(
            files -> {
              checkNotCancelled(control, job);
              WorkflowParameters params =
                  WorkflowParameters.builder()
                      .image(files[0].nodeValue())
                      .audio(files[1].nodeValue())
                      .prompt(job.request().prompt())
                      .negativePrompt(job.request().negativePrompt().orElse(null))
                      .size(job.width(), job.height())
                      .maxFrames(job.frames())
                      .audioCfgScale(
                          job.request().audioCfgScale().isPresent()
                              ? job.request().audioCfgScale().getAsDouble()
                              : null)
                      .seed(job.seed())
                      .outputPrefix(job.outputPrefix())
                      .build();
              // Recorded before the prompt exists, so that a restart looks for it instead of
              // submitting again.
              control.attach(
                  pod.pod.id(),
                  pod.pod.comfyUiUrl().map(Object::toString).orElse(null),
                  promptId,
                  clientId);
              CompletableFuture<HistoryEntry> finished = follow(pod, progress, promptId);
              // From here on a cancel reaches ComfyUI: once the submit has been answered (a cancel
              // sent before the
              // prompt exists would find nothing), it deletes the prompt if pending, interrupts it
              // if running, and waits
              // for the server to confirm. A cancel that came first means nothing may be sent.
              CompletableFuture<Boolean> accepted = new CompletableFuture<>();
              if (!control.cancelWith(
                  () -> {
                    finished.cancel(false);
                    return RemoteCancel.start(
                        pod.client, target(pod, job, promptId), accepted, scheduler, cancelTimeout);
                  })) {
                finished.cancel(false);
                throw new JobCancelledException("Job " + job.id() + " was cancelled.");
              }
              control.transition(JobState.SUBMITTED);
              log.debug(
                  "Submitting [job={}, pod={}, prompt={}, seed={}]",
                  job.id(),
                  pod.pod.id(),
                  promptId,
                  job.seed());
              return pod.client
                  .submit(job.workflow().patch(params), clientId, promptId)
                  .whenComplete(
                      (answer, e) -> {
                        accepted.complete(e == null);
                        if (e != null) {
                          finished.cancel(false);
                        }
                      })
                  .exceptionallyCompose(e -> afterRejection(pod, job, e, checkedWith))
                  .thenCompose(answer -> finished);
            })
        .thenCompose(entry -> finish(pod, job, control, progress, entry));
  }

  /**
   * Tracks the prompt to its end (cancelling the returned future stops tracking, not the prompt).
   */
  private CompletableFuture<HistoryEntry> follow(
      PodPool.Connection pod, ProgressModel progress, String promptId) {
    return PromptTracker.track(pod.client, pod.events, promptId, progress, trackerOptions);
  }

  /** Where a job's prompt is, for the words of a cancel's outcome. */
  private CancelOutcomes.Target target(PodPool.Connection pod, PreparedJob job, String promptId) {
    return new CancelOutcomes.Target(
        job.id(), promptId, pod.client.displayUrl(), pod.pod.id(), pods.rentsPods());
  }

  private CompletableFuture<VideoRecord> finish(
      PodPool.Connection pod,
      PreparedJob job,
      JobControl control,
      ProgressModel progress,
      HistoryEntry entry) {
    OutputFile file = outcome(entry, job, control);
    control.transition(JobState.DOWNLOADING);
    double gpuSeconds = GpuAccount.gpuSeconds(entry, progress.gpuSeconds(clock.instant()));
    return pod.client
        .download(file, job.outputFile(), (done, t) -> progress.downloaded(done, t))
        .thenCombine(
            gpus.gpuType(pod.pod.gpuType(), pod.client),
            (bytes, gpuType) ->
                video(job, pod, entry.promptId(), file, bytes, gpuType, gpuSeconds));
  }

  private static void checkNotCancelled(JobControl control, PreparedJob job) {
    if (control.isCancelled()) {
      throw new JobCancelledException("Job " + job.id() + " was cancelled.");
    }
  }

  /** Maps how the prompt ended to the file to download, or to a typed failure. */
  private OutputFile outcome(HistoryEntry entry, PreparedJob job, JobControl control) {
    switch (entry.outcome()) {
      case INTERRUPTED:
        if (control.isCancelled()) {
          throw new JobCancelledException("Job " + job.id() + " was cancelled.");
        }
        throw new GenerationFailedException(
            "ComfyUI interrupted prompt "
                + entry.promptId()
                + " (someone cancelled it on the server). "
                + "Submit the job again.",
            null,
            null,
            null,
            true);
      case ERROR:
        throw ExecutionErrors.toException(entry);
      default:
        WorkflowTemplate template = job.workflow();
        Optional<OutputFile> file = entry.videoFile(template.outputNodeId().orElse(""));
        return file.orElseThrow(
            () ->
                new GenerationFailedException(
                    "ComfyUI finished prompt "
                        + entry.promptId()
                        + " but reported no output file. Check that the "
                        + "workflow's output node ("
                        + template.outputNodeId().orElse("?")
                        + ") saves the video "
                        + "(VHS: save_output=true).",
                    template.outputNodeId().orElse(null),
                    null,
                    null,
                    false));
    }
  }

  /** The video's row, to be recorded with the job's end (the video id is the job id). */
  private VideoRecord video(
      PreparedJob job,
      PodPool.Connection pod,
      String promptId,
      OutputFile file,
      long bytes,
      String gpuType,
      double gpuSeconds) {
    VideoFacts facts =
        VideoFacts.read(job.outputFile())
            .orElseGet(
                () -> {
                  log.warn(
                      "Could not read size, frames and duration from the finished MP4 {}; recording the requested ones "
                          + "[job={}, prompt={}]",
                      job.outputFile(),
                      job.id(),
                      promptId);
                  return new VideoFacts(
                      job.width(), job.height(), job.frames(), job.audio().duration());
                });
    return new VideoRecord(
            job.id(),
            job.id(),
            pod.pod.id(),
            gpuType,
            promptId,
            file.type(),
            file.subfolder(),
            file.filename(),
            job.outputFile().toAbsolutePath().toString(),
            bytes,
            facts.width(),
            facts.height(),
            facts.frames(),
            facts.duration().toMillis(),
            job.seed(),
            gpuSeconds,
            clock.instant(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            job.frames())
        .priced(GpuAccount.pricePerHour(pod.pod.costPerHour()));
  }

  @Override
  public CompletableFuture<CancelOutcome> stopPrompt(JobRecord record) {
    CancelOutcomes.Target target = CancelOutcomes.Target.of(record);
    target =
        new CancelOutcomes.Target(
            target.jobId(), target.promptId(), target.server(), target.podId(), pods.rentsPods());
    try {
      io.openavathar.pod.Pod pod =
          io.openavathar.pod.Pod.builder(record.podId().orElse("?"))
              .comfyUiUrl(java.net.URI.create(record.comfyUrl().orElseThrow()))
              .build();
      return RemoteCancel.start(
          pods.client(pod),
          target,
          CompletableFuture.completedFuture(true),
          scheduler,
          cancelTimeout);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          CancelOutcomes.unconfirmed(
              target,
              "queued or running",
              "its server could not be asked (" + e.getMessage() + ")"));
    }
  }

  @Override
  public void close() {
    pods.close();
  }
}
