package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.InvalidInputException;
import io.openavathar.JobListener;
import io.openavathar.JobState;
import io.openavathar.OpenAvatharException;
import io.openavathar.Orientation;
import io.openavathar.QuotaExceededException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.job.JobHolder;
import io.openavathar.job.JobInfo;
import io.openavathar.license.LicenseStatus;
import io.openavathar.media.AudioInfo;
import io.openavathar.media.ImageInfo;
import io.openavathar.media.MediaProbe;
import io.openavathar.store.JobClaim;
import io.openavathar.store.JobQuery;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import io.openavathar.workflow.WorkflowTemplate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts requests, checks them, and runs them on a {@link GenerationBackend}. Requests are checked
 * on the caller's thread (so bad input throws from {@code generate}, before anything is uploaded);
 * everything after runs on SDK threads.
 */
public final class JobEngine implements AutoCloseable, io.openavathar.job.Jobs {
  private static final Logger log = LoggerFactory.getLogger(JobEngine.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** Everything the engine needs, resolved by the studio's builder. */
  public record Settings(
      DefaultPodManager pods,
      WorkflowTemplate template,
      MediaProbe mediaProbe,
      int maxFrames,
      Path outputDirectory,
      PromptTracker.Options trackerOptions,
      JobListener listener,
      StudioStore store,
      io.openavathar.license.LicenseClient license,
      int retryBudget,
      java.util.concurrent.ScheduledExecutorService scheduler,
      Clock clock,
      Duration cancelTimeout,
      double dailySpendCapUsd) {}

  /**
   * How long a claim on a job lasts without renewal; a crashed process's jobs are free again after
   * it.
   */
  static final Duration CLAIM_LEASE = Duration.ofSeconds(60);

  private final Settings settings;
  private final GenerationBackend backend;
  private final Estimator estimator;

  /** The jobs this engine runs, by id: each run owns its job's state (this registry holds none). */
  private final Map<String, JobRun> active = new ConcurrentHashMap<>();

  /** Studio-wide listeners, fanned out to every job (the builder's listener first). */
  private final List<JobListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final JobListener fanOut =
      new JobListener() {
        @Override
        public void onStateChanged(GenerationJob job, JobState from, JobState to) {
          listeners.forEach(l -> l.onStateChanged(job, from, to));
        }

        @Override
        public void onProgress(GenerationJob job, io.openavathar.JobProgress p) {
          listeners.forEach(l -> l.onProgress(job, p));
        }
      };

  /**
   * How often {@link #resumeWhenFree} looks again at a job another studio holds (at most; sooner if
   * it expires).
   */
  static final Duration HOLDER_RECHECK = Duration.ofSeconds(1);

  /**
   * This engine's identity in job claims (two processes on one data directory): studio, process,
   * host.
   */
  private final String owner = ClaimOwner.newStudio().text();

  /** {@link #resumeWhenFree} calls still waiting; failed when the engine closes. */
  private final java.util.Set<CompletableFuture<Optional<GenerationJob>>> waiting =
      ConcurrentHashMap.newKeySet();

  private final java.util.concurrent.ScheduledFuture<?> claimRenewal;
  private final QuotaTracks tracks;

  /**
   * Cancels of jobs no studio was running whose prompt an earlier run had submitted; close() waits
   * for them.
   */
  private final java.util.Set<CompletableFuture<CancelOutcome>> orphanCancels =
      ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  /** Takes jobs from the store's queue once {@link #workQueue} was called; null before. */
  private volatile QueueWorker worker;

  private JobEngine(Settings settings, GenerationBackend backend) {
    this.settings = settings;
    this.backend = backend;
    this.estimator =
        new Estimator(
            settings.pods(),
            new StoreHistory(settings.store()),
            settings.clock(),
            settings.dailySpendCapUsd());
    this.tracks = new QuotaTracks(settings.store(), settings.license(), settings.clock(), owner);
    if (settings.listener() != JobListener.NONE) {
      listeners.add(settings.listener());
    }
    settings
        .scheduler()
        .scheduleAtFixedRate(
            this::retryPendingTracksQuietly, 1, 5, java.util.concurrent.TimeUnit.MINUTES);
    long period = CLAIM_LEASE.toMillis() / 3;
    this.claimRenewal =
        settings
            .scheduler()
            .scheduleAtFixedRate(
                this::renewClaims, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void renewClaims() {
    for (String id : active.keySet()) {
      try {
        settings.store().claimJob(id, owner, settings.clock().instant(), CLAIM_LEASE);
      } catch (RuntimeException e) {
        log.warn("Could not renew the claim on job {}: {}", id, e.getMessage());
      }
    }
  }

  /** An engine running jobs on ComfyUI pods from {@code settings.podProvider()}. */
  public static JobEngine create(Settings settings) {
    String clientId = "openavathar-" + UUID.randomUUID();
    PodPool pool = new PodPool(settings.pods(), clientId);
    return new JobEngine(
        settings,
        new ComfyPodBackend(
            pool,
            settings.trackerOptions(),
            clientId,
            settings.clock(),
            settings.retryBudget(),
            settings.scheduler(),
            settings.cancelTimeout()));
  }

  /**
   * Checks the request and starts it.
   *
   * @throws InvalidInputException if an input file or option cannot be used; nothing was uploaded
   */
  public GenerationJob submit(GenerationRequest request) {
    if (closed) {
      throw new IllegalStateException("this AvatarStudio is closed; build a new one");
    }
    PreparedJob prepared = prepare(request);
    // Not counted against the free quota until its own check admits it (see admit).
    awaitingQuota.add(prepared.id());
    JobRun run;
    try {
      run = JobRun.inserted(prepared, fanOut, settings.store(), settings.clock());
    } catch (RuntimeException e) {
      awaitingQuota.remove(prepared.id());
      throw e;
    }
    settings.store().claimJob(run.id(), owner, settings.clock().instant(), CLAIM_LEASE);
    log.debug(
        "Job accepted [job={}, frames={}, windows={}, seed={}]",
        run.id(),
        prepared.frames(),
        prepared.windows(),
        prepared.seed());
    // The quota check is the job's first asynchronous step: generate() never waits on the license
    // server, and a job
    // over the quota fails before anything is uploaded or a pod is started.
    start(
        run,
        () ->
            admit(run.id())
                .thenCompose(
                    admitted ->
                        estimator.gates(prepared)
                            ? estimator
                                .check(prepared)
                                .thenCompose(estimate -> backend.run(prepared, run))
                            : backend.run(prepared, run)));
    return run.job();
  }

  /**
   * Completes when the license allows job {@code id} to run, or fails with {@link
   * QuotaExceededException}. The count is taken under one lock once the license server answered,
   * and counts the jobs already admitted: of two quick submits, only one takes the last free video.
   */
  private CompletableFuture<Void> admit(String id) {
    return licenseStatus()
        .handle(
            (status, failure) -> {
              synchronized (quotaLock) {
                awaitingQuota.remove(id);
                if (failure != null) {
                  throw DefaultGenerationJob.unwrap(failure);
                }
                checkQuota(status, id);
                return null;
              }
            });
  }

  /**
   * What the request would take and cost now, without starting anything.
   *
   * @throws InvalidInputException if an input file or option cannot be used
   */
  public CompletableFuture<io.openavathar.CostEstimate> estimate(GenerationRequest request) {
    return estimator.estimate(prepare(request));
  }

  private final Object quotaLock = new Object();

  /**
   * Jobs of this studio whose quota check has not answered yet: they do not count against each
   * other.
   */
  private final java.util.Set<String> awaitingQuota = ConcurrentHashMap.newKeySet();

  /**
   * The license's status, failing with {@link RemoteUnavailableException} after 30 s without an
   * answer.
   */
  private CompletableFuture<LicenseStatus> licenseStatus() {
    CompletableFuture<LicenseStatus> status;
    try {
      status = settings.license().check();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return status
        .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
        .exceptionallyCompose(
            e -> {
              Throwable cause =
                  e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                      ? e.getCause()
                      : e;
              return CompletableFuture.failedFuture(
                  cause instanceof java.util.concurrent.TimeoutException
                      ? new RemoteUnavailableException(
                          "The license server did not answer within 30 s. Try again later.", cause)
                      : cause);
            });
  }

  /**
   * The license's status, waited for on the calling thread (enqueue records a job without running
   * it).
   */
  private LicenseStatus awaitLicenseStatus() {
    try {
      return licenseStatus().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw DefaultGenerationJob.unwrap(e.getCause());
    }
  }

  /**
   * Fails with {@link QuotaExceededException} when a free device has used (or has in flight)
   * today's videos. Call under {@link #quotaLock}; {@code self} (may be null) is the job being
   * checked, not counted as in flight.
   */
  private void checkQuota(LicenseStatus status, String self) {
    if (status.pro()) {
      return;
    }
    // Jobs not yet ended anywhere on this store (this studio's, detached ones, another process's)
    // except those
    // still waiting for their own check, and videos made but not yet confirmed by the license
    // server.
    java.util.Set<String> unfinishedIds = new java.util.HashSet<>(active.keySet());
    settings.store().jobs(JobQuery.unfinished()).forEach(r -> unfinishedIds.add(r.id()));
    unfinishedIds.removeAll(awaitingQuota);
    unfinishedIds.remove(self);
    int inFlight = unfinishedIds.size() + tracks.pendingToday();
    if (!status.canGenerate() || status.used() + inFlight >= status.limit()) {
      long h = status.resetsIn().toHours();
      long m = status.resetsIn().toMinutesPart();
      String upgrade = settings.license().upgradeUrl().orElse(null);
      throw new QuotaExceededException(
          "The free plan makes "
              + status.limit()
              + " video per day on this device ("
              + status.used()
              + " used"
              + (inFlight > 0 ? ", " + inFlight + " in progress" : "")
              + "); it resets in "
              + h
              + "h "
              + m
              + "m."
              + (upgrade == null
                  ? " Activate a Pro license to make more."
                  : " Get Pro at " + upgrade + " to make more."),
          status.resetsIn(),
          upgrade);
    }
  }

  private void retryPendingTracksQuietly() {
    try {
      retryPendingTracks();
    } catch (RuntimeException e) {
      log.warn("Could not retry pending quota tracks: {}", e.getMessage());
    }
  }

  /**
   * Sends again the tracks the license server has not confirmed (after a failure or a crash), keyed
   * by job id; drops those whose UTC day has passed. See {@link QuotaTracks}.
   */
  public void retryPendingTracks() {
    tracks.retryPending();
  }

  private void start(JobRun run, java.util.function.Supplier<CompletableFuture<VideoRecord>> work) {
    active.put(run.id(), run);
    CompletableFuture<VideoRecord> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((video, failure) -> workStopped(run, video, failure));
  }

  /**
   * The backend's work on a job stopped: the engine ends the job with its video or its failure,
   * unless a cancel ended it first. A cancelled job stays active (claimed, and waited for by
   * close()) until the server confirmed the cancel or its timeout passed: its prompt may still run.
   * A job the studio closed under is not ended: it stays unfinished in the store, for the next
   * studio.
   */
  private void workStopped(JobRun run, VideoRecord video, Throwable failure) {
    // The claim is given up before anyone hears of the end: whoever sees it (a caller closing this
    // studio and opening another) may take the job over at once.
    boolean ended =
        !closed
            && !run.isCancelled()
            && (failure == null
                // The track is pending and in flight before anyone sees the video, so close() waits
                // for it.
                ? run.complete(video, () -> tracks.track(run.id()), () -> leave(run))
                : run.fail(failure, () -> leave(run)));
    if (ended) {
      return;
    }
    if (run.isCancelled()) {
      run.cancellation().whenComplete((outcome, e) -> leave(run));
    } else {
      active.remove(run.id()); // closed under it: close() gave up its claim
    }
  }

  /** A job this engine no longer runs: out of the registry, its claim given up. */
  private void leave(JobRun run) {
    active.remove(run.id());
    settings.store().releaseJob(run.id(), owner);
    QueueWorker w = worker;
    if (w != null) {
      w.jobEnded(); // room for a queued job
    }
  }

  /**
   * Resumes every unfinished job in the store that no other live studio has claimed: a submitted
   * prompt is re-attached by its id (never submitted twice), anything earlier starts over. A job
   * whose input files are gone fails with a message saying so.
   */
  @Override
  public List<GenerationJob> resumeUnfinished() {
    List<GenerationJob> resumed = new ArrayList<>();
    for (JobRecord record : settings.store().jobs(JobQuery.unfinished())) {
      if (!active.containsKey(record.id()) && claim(record.id())) {
        resume(record.id()).ifPresent(resumed::add);
      }
    }
    return resumed;
  }

  /**
   * How often {@link #workQueue} looks at the queue when no job of this studio ended meanwhile (a
   * job queued by another process, or one whose studio died and whose claim expired).
   */
  static final Duration QUEUE_LOOK = Duration.ofSeconds(1);

  /**
   * Takes jobs from the store's queue as this studio has room (at most {@code maxInFlight} jobs of
   * this studio at once, its own submits included) instead of resuming them all: see {@link
   * QueueWorker}. Looks now, when a job ends and every {@link #QUEUE_LOOK}; stops when the engine
   * closes. Calling it again changes nothing.
   */
  public void workQueue(int maxInFlight) {
    workQueue(maxInFlight, QUEUE_LOOK);
  }

  synchronized void workQueue(int maxInFlight, Duration period) {
    if (closed) {
      throw new IllegalStateException("this AvatarStudio is closed; build a new one");
    }
    if (worker == null) {
      QueueWorker w =
          new QueueWorker(
              settings.store(),
              owner,
              settings.clock(),
              settings.scheduler(),
              maxInFlight,
              active::size,
              id -> resume(id).isPresent(),
              CLAIM_LEASE);
      worker = w;
      if (closed) {
        w.close(); // close() ran in between and did not see it
        return;
      }
      w.start(period);
    }
  }

  /**
   * The most jobs in flight a queue worker takes by default: a full load of every pod this studio
   * may use ({@link io.openavathar.pod.PodPolicy#maxJobsPerPod()} on each of its ComfyUI URLs, or
   * on {@link io.openavathar.pod.PodPolicy#maxPods()} pods it may start).
   */
  public static int defaultMaxInFlight(DefaultPodManager pods) {
    int podCount =
        pods.provider().canManagePods()
            ? pods.policy().maxPods()
            : pods.provider() instanceof io.openavathar.pod.StaticPodProvider s
                ? s.listPods().join().size()
                : 1;
    return Math.max(1, podCount) * pods.policy().maxJobsPerPod();
  }

  /**
   * Resumes a job this engine has just claimed, from its record as it is now (its last holder may
   * have finished it before letting go); empty if it ended, or (the job FAILED) if its inputs are
   * gone. A job whose video is already in the store (an older SDK crashed between recording the
   * video and the job's end) is completed from it, without downloading again.
   */
  private Optional<GenerationJob> resume(String id) {
    Optional<JobRecord> current = settings.store().job(id);
    if (current.isEmpty() || current.get().state().isTerminal()) {
      settings.store().releaseJob(id, owner);
      return Optional.empty();
    }
    JobRecord record = current.get();
    PreparedJob prepared;
    try {
      prepared = prepare(RequestJson.read(record.requestJson()), record);
    } catch (OpenAvatharException e) {
      settings
          .store()
          .updateJob(
              record.toBuilder()
                  .state(JobState.FAILED)
                  .error(e.getClass().getSimpleName(), "Could not resume: " + e.getMessage())
                  .updatedAt(settings.clock().instant())
                  .build());
      settings.store().releaseJob(record.id(), owner);
      return Optional.empty();
    }
    JobRun run =
        JobRun.resumed(
            prepared,
            record,
            fanOut,
            settings.store(),
            settings.clock(),
            () -> backend.stopPrompt(record));
    Optional<VideoRecord> recorded =
        settings.store().video(record.id()).filter(v -> v.jobId().equals(record.id()));
    log.debug(
        "Resuming job {} from {} [pod={}, prompt={}, video recorded={}]",
        record.id(),
        record.state(),
        record.podId().orElse("-"),
        record.promptId().orElse("-"),
        recorded.isPresent());
    start(
        run,
        () ->
            recorded.isPresent()
                ? CompletableFuture.completedFuture(recorded.get())
                : backend.resume(prepared, run, record));
    return Optional.of(run.job());
  }

  /**
   * Claims a job for this engine: if it is free, its claim expired, it is ours already, or its
   * owner was a process on this host that is gone (then at once, without waiting for the lease).
   */
  private boolean claim(String jobId) {
    Instant now = settings.clock().instant();
    if (settings.store().claimJob(jobId, owner, now, CLAIM_LEASE)) {
      return true;
    }
    Optional<JobClaim> held = settings.store().claim(jobId);
    if (held.isEmpty()) {
      return settings.store().claimJob(jobId, owner, now, CLAIM_LEASE); // released in between
    }
    Optional<ClaimOwner> holder = ClaimOwner.parse(held.get().owner());
    if (holder.isPresent()
        && holder.get().isGoneFromThisHost()
        && settings.store().takeOverJob(jobId, held.get().owner(), owner, now, CLAIM_LEASE)) {
      log.debug("Took over job {} from {}, whose process is gone", jobId, holder.get());
      return true;
    }
    return false;
  }

  @Override
  public Optional<JobHolder> holder(String id) {
    Optional<JobClaim> held = settings.store().claim(id);
    if (held.isEmpty()
        || held.get().owner().equals(owner)
        || !held.get().until().isAfter(settings.clock().instant())) {
      return Optional.empty();
    }
    Optional<ClaimOwner> holder = ClaimOwner.parse(held.get().owner());
    if (holder.isPresent() && holder.get().isGoneFromThisHost()) {
      return Optional.empty(); // whoever asks next takes it over at once
    }
    return Optional.of(
        JobHolder.of(
            id,
            holder.map(ClaimOwner::host).orElse(""),
            holder.map(ClaimOwner::pid).orElse(0L),
            held.get().until()));
  }

  @Override
  public CompletableFuture<Optional<GenerationJob>> resumeWhenFree(String id) {
    java.util.Objects.requireNonNull(id, "id");
    CompletableFuture<Optional<GenerationJob>> result = new CompletableFuture<>();
    waiting.add(result);
    result.whenComplete((j, e) -> waiting.remove(result));
    resumeWhenFree(id, result);
    return result;
  }

  /**
   * One look at a job for {@link #resumeWhenFree(String)}: resume it, report its end, or look again
   * later.
   */
  private void resumeWhenFree(String id, CompletableFuture<Optional<GenerationJob>> result) {
    try {
      if (result.isDone()) {
        return; // the caller gave up
      }
      if (closed) {
        throw new IllegalStateException("this AvatarStudio is closed; build a new one");
      }
      JobRun running = active.get(id);
      if (running != null) {
        result.complete(Optional.of(running.job()));
        return;
      }
      JobRecord record =
          settings.store().job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
      if (record.state().isTerminal()) {
        result.complete(Optional.empty());
        return;
      }
      if (claim(id)) {
        result.complete(resume(id));
        return;
      }
      long untilExpiry =
          holder(id)
              .map(h -> Duration.between(settings.clock().instant(), h.until()).toMillis())
              .orElse(0L);
      long delay = Math.max(10, Math.min(untilExpiry, HOLDER_RECHECK.toMillis()));
      settings
          .scheduler()
          .schedule(
              () -> resumeWhenFree(id, result), delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * Checks the request and records it as a QUEUED job without starting it: a studio on this data
   * directory runs it when it resumes unfinished jobs. For callers that exit right away (the CLI's
   * {@code generate --detach}). The quota is checked as for {@link #submit}, counting every
   * unfinished job in the store.
   */
  @Override
  public JobInfo enqueue(GenerationRequest request) {
    PreparedJob prepared = prepare(request);
    LicenseStatus status = awaitLicenseStatus();
    synchronized (quotaLock) {
      checkQuota(status, null);
      return JobInfo.of(insertQueued(prepared), Optional.of(request));
    }
  }

  private JobRecord insertQueued(PreparedJob prepared) {
    JobRecord record = JobRun.queuedRecord(prepared);
    settings.store().insertJob(record);
    settings.store().appendJobLog(record.id(), prepared.createdAt(), "QUEUED (detached)");
    return record;
  }

  // --- Jobs
  // ---------------------------------------------------------------------------------------------------

  @Override
  public List<JobInfo> list(JobQuery query) {
    return settings.store().jobs(query).stream().map(JobEngine::info).toList();
  }

  @Override
  public Optional<JobInfo> get(String id) {
    return settings.store().job(id).map(JobEngine::info);
  }

  private static JobInfo info(JobRecord record) {
    Optional<GenerationRequest> request;
    try {
      request = Optional.of(RequestJson.read(record.requestJson()));
    } catch (OpenAvatharException e) {
      request = Optional.empty(); // the job is still listed; retrying it says why it cannot run
    }
    return JobInfo.of(record, request);
  }

  @Override
  public Optional<GenerationJob> handle(String id) {
    return Optional.ofNullable(active.get(id)).map(JobRun::job);
  }

  @Override
  public List<String> log(String id) {
    return settings.store().jobLog(id);
  }

  @Override
  public boolean cancel(String id) {
    JobRun running = active.get(id);
    if (running != null) {
      return running.cancel();
    }
    Optional<JobRecord> record = settings.store().job(id);
    if (record.isEmpty() || record.get().state().isTerminal() || !claim(id)) {
      return false;
    }
    settings
        .store()
        .updateJob(
            record.get().toBuilder()
                .state(JobState.CANCELLED)
                .updatedAt(settings.clock().instant())
                .build());
    settings
        .store()
        .appendJobLog(id, settings.clock().instant(), "CANCELLED (while no studio was running it)");
    if (record.get().promptId().isEmpty() || record.get().comfyUrl().isEmpty()) {
      settings.store().releaseJob(id, owner);
      return true;
    }
    // An earlier run submitted its prompt (and its process is gone): stop it on its server, as for
    // a running job.
    // close() waits for the outcome to be logged, not merely known.
    CompletableFuture<CancelOutcome> logged =
        backend
            .stopPrompt(record.get())
            .whenComplete(
                (outcome, e) -> {
                  if (outcome != null) {
                    appendLogQuietly(id, CancelOutcomes.logLine(outcome));
                  }
                  settings.store().releaseJob(id, owner);
                });
    orphanCancels.add(logged);
    logged.whenComplete((outcome, e) -> orphanCancels.remove(logged));
    return true;
  }

  private void appendLogQuietly(String id, String line) {
    try {
      settings.store().appendJobLog(id, settings.clock().instant(), line);
    } catch (RuntimeException e) {
      log.warn("Could not append to the log of job {}: {}", id, e.getMessage());
    }
  }

  @Override
  public GenerationJob retry(String id) {
    return submit(retried(id).build());
  }

  @Override
  public GenerationJob retry(String id, Path outputFile) {
    return submit(
        retried(id).outputFile(java.util.Objects.requireNonNull(outputFile, "outputFile")).build());
  }

  /** The request of a failed or cancelled job, with the seed it ran with. */
  private GenerationRequest.Builder retried(String id) {
    JobRecord record =
        settings.store().job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
    if (record.state() != JobState.FAILED && record.state() != JobState.CANCELLED) {
      throw new IllegalArgumentException(
          "job " + id + " is " + record.state() + "; only FAILED or CANCELLED jobs can be retried");
    }
    return RequestJson.read(record.requestJson()).toBuilder().seed(record.seed());
  }

  @Override
  public void addListener(JobListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(JobListener listener) {
    listeners.remove(listener);
  }

  PreparedJob prepare(GenerationRequest request) {
    return prepare(request, null);
  }

  /**
   * Checks the inputs and fixes every derived value; for a resumed job, id, seed, file and time
   * come from its record.
   */
  PreparedJob prepare(GenerationRequest request, JobRecord resumed) {
    ImageInfo image = settings.mediaProbe().probeImage(request.image());
    AudioInfo audio = settings.mediaProbe().probeAudio(request.audio());
    // The request's workflow, else the studio's; stored with the job, so a resume or retry runs the
    // same graph.
    WorkflowTemplate template = request.workflow().orElse(settings.template());
    int fps = template.fps();
    long millis = audio.duration().toMillis();
    long frames = (millis * fps + 999) / 1000;
    int cap = request.maxFrames().orElse(settings.maxFrames());
    if (frames > cap) {
      throw new InvalidInputException(
          String.format(
              java.util.Locale.ROOT,
              "Audio '%s' is %.1f s long, which needs %d frames at %d fps; the limit is %d frames (%.1f s). "
                  + "Shorten the audio or raise ",
              request.audio().getFileName(),
              millis / 1000.0,
              frames,
              fps,
              cap,
              cap / (double) fps),
          Setting.MAX_FRAMES,
          " to " + frames + ".");
    }
    Orientation orientation = request.orientation().resolve(image.width(), image.height());
    String id = resumed != null ? resumed.id() : UUID.randomUUID().toString();
    long seed =
        resumed != null
            ? resumed.seed()
            : request.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1L << 53));
    Instant now = resumed != null ? resumed.createdAt() : settings.clock().instant();
    Path output =
        resumed != null && resumed.outputFile().isPresent()
            ? Path.of(resumed.outputFile().get())
            : request
                .outputFile()
                .orElseGet(
                    () ->
                        settings
                            .outputDirectory()
                            .resolve(
                                "avatar-"
                                    + FILE_TIME.format(now)
                                    + "-"
                                    + id.substring(0, 8)
                                    + ".mp4"));
    OutputTarget.check(output, request.outputFile().isPresent());
    return new PreparedJob(
        id,
        request,
        image,
        audio,
        orientation,
        (int) frames,
        template.windowsFor((int) frames),
        template.samplerSteps(),
        seed,
        "OpenAvathar/" + id,
        output,
        now,
        template);
  }

  /**
   * Waits for the server's answer to every cancel in flight: each ends by its own timeout, so this
   * waits at most that long (plus a second of slack for a stuck scheduler, after which the cancels
   * end unconfirmed).
   */
  private void awaitCancels() {
    List<JobRun> cancelling =
        active.values().stream()
            .filter(r -> r.isCancelled() && !r.cancellation().isDone())
            .toList();
    List<CompletableFuture<CancelOutcome>> all = new ArrayList<>(orphanCancels);
    cancelling.forEach(r -> all.add(r.cancellation()));
    if (all.isEmpty()) {
      return;
    }
    log.debug(
        "Waiting up to {} for ComfyUI to confirm {} cancel(s)",
        settings.cancelTimeout(),
        all.size());
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(
              settings.cancelTimeout().plusSeconds(1).toMillis(),
              java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      log.debug("Cancels still unconfirmed when the studio closed: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (JobRun run : cancelling) {
      run.giveUpCancel("the studio closed before ComfyUI confirmed the cancel");
    }
  }

  /** Jobs not yet ended. */
  public int activeJobs() {
    return active.size();
  }

  /** {@link #close(Duration)} waiting up to 10 s for quota tracks in flight. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Stops the engine: cancels in flight get until their timeout ({@link Settings#cancelTimeout()})
   * for ComfyUI's confirmation (their requests are never cut off); jobs still running fail with a
   * message saying the studio was closed (their prompts keep running on ComfyUI); event streams and
   * clients close, and quota tracks in flight get up to {@code trackWait} for the license server's
   * answer (those unanswered stay pending for the next studio).
   */
  public void close(Duration trackWait) {
    if (closed) {
      return;
    }
    closed = true;
    QueueWorker queue = worker;
    if (queue != null) {
      queue.close();
    }
    claimRenewal.cancel(false);
    for (CompletableFuture<Optional<GenerationJob>> w : waiting) {
      w.completeExceptionally(
          new IllegalStateException(
              "The AvatarStudio was closed while waiting for a job"
                  + " another studio held; run the jobs again with a new studio."));
    }
    awaitCancels();
    for (JobRun run : active.values()) {
      // Not recorded as failed: the job stays unfinished in the store and the next studio resumes
      // it.
      run.abandon(
          "The AvatarStudio was closed while job "
              + run.id()
              + " was "
              + run.job().state()
              + "; a new studio on"
              + " the same data directory resumes it.");
      settings.store().releaseJob(run.id(), owner);
    }
    active.clear();
    tracks.stop(trackWait);
    backend.close();
  }
}
