package io.openavathar.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's one retry policy for remote calls (ComfyUI, RunPod, the license server), built on
 * resilience4j.
 *
 * <p>A failure is retried only when it is an {@link OpenAvatharException} whose {@link
 * OpenAvatharException#isRetryable()} is true. The delay before attempt {@code n + 1} is the
 * failure's {@link RemoteUnavailableException#retryAfter()} when the server gave one, capped at
 * four times {@code maxBackoff} so that a confused server cannot park a job for hours; otherwise
 * {@code initialBackoff * 2^(n-1)}, at most {@code maxBackoff}, minus up to 25% random jitter. Each
 * retry is logged at DEBUG with the operation and attempt.
 *
 * <p>Immutable and thread-safe. Delays run on the caller's scheduler; no thread sleeps.
 */
public final class Retries {
  private static final Logger LOG = LoggerFactory.getLogger(Retries.class);
  private static final double JITTER = 0.25;
  private static final int RETRY_AFTER_CAP_FACTOR = 4;

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final DoubleSupplier random;

  /** Built once: only the operation's name (for logs) differs per call. */
  private final RetryConfig config;

  private Retries(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff, DoubleSupplier random) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "backoffs must not be negative, were " + initialBackoff + " and " + maxBackoff);
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff;
    this.random = random;
    this.config =
        RetryConfig.custom()
            .maxAttempts(maxAttempts)
            .retryOnException(Retries::isRetryable)
            .intervalBiFunction(intervalFunction())
            .failAfterMaxAttempts(false)
            .build();
  }

  /**
   * A policy of {@code maxAttempts} attempts in all (the first included), backing off from {@code
   * initialBackoff} doubling up to {@code maxBackoff}.
   */
  public static Retries of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new Retries(
        maxAttempts, initialBackoff, maxBackoff, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The policy of {@code options} (its read timeout is the client's business). */
  public static Retries of(io.openavathar.RetryOptions options) {
    return of(options.maxAttempts(), options.initialBackoff(), options.maxBackoff());
  }

  /** Like {@link #of} with a chosen random source in [0, 1) for the jitter; for tests. */
  static Retries withRandom(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff, DoubleSupplier random) {
    return new Retries(maxAttempts, initialBackoff, maxBackoff, random);
  }

  /** Attempts in all, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Runs {@code call} and retries it on retryable failures, each retry after the policy's delay on
   * {@code scheduler}. The returned future fails with the last failure itself (never a {@link
   * CompletionException}). If the returned future is completed or cancelled by someone else, no
   * further attempt starts.
   *
   * @param operation names the call in logs, for example {@code "ComfyUI GET /queue"}
   */
  public <T> CompletableFuture<T> execute(
      String operation,
      ScheduledExecutorService scheduler,
      Supplier<? extends CompletionStage<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Supplier<CompletionStage<T>> guarded =
        () -> {
          if (result.isDone()) {
            return CompletableFuture.failedFuture(
                new OpenAvatharException(operation + " was abandoned."));
          }
          try {
            return call.get();
          } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
          }
        };
    retry(operation)
        .executeCompletionStage(scheduler, guarded)
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                result.complete(value);
              } else {
                result.completeExceptionally(unwrap(failure));
              }
            });
    return result;
  }

  /**
   * A resilience4j {@link Retry} named {@code operation} with this policy and DEBUG logging of each
   * retry.
   */
  private Retry retry(String operation) {
    Retry retry = Retry.of(operation, config);
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                LOG.debug(
                    "Retrying {} in {} ms: attempt {} of {} failed: {}",
                    operation,
                    e.getWaitInterval().toMillis(),
                    e.getNumberOfRetryAttempts(),
                    maxAttempts,
                    e.getLastThrowable() == null ? "?" : e.getLastThrowable().getMessage()));
    return retry;
  }

  /**
   * The delay function resilience4j calls with the number of failed attempts so far and the last
   * failure.
   */
  <T> IntervalBiFunction<T> intervalFunction() {
    return (attempt, either) -> delayMillis(attempt, either.isLeft() ? either.getLeft() : null);
  }

  /**
   * Milliseconds to wait after {@code failedAttempts} failed attempts (1 after the first), the last
   * one being {@code failure} (may be null).
   */
  public long delayMillis(int failedAttempts, Throwable failure) {
    Throwable cause = failure == null ? null : unwrap(failure);
    if (cause instanceof RemoteUnavailableException remote && remote.retryAfter().isPresent()) {
      long cap = maxBackoff.toMillis() * RETRY_AFTER_CAP_FACTOR;
      Duration after = remote.retryAfter().get();
      // Compare before converting: toMillis() overflows for a Retry-After of more than 292 million
      // years.
      return after.compareTo(Duration.ofMillis(cap)) >= 0 ? cap : Math.max(0, after.toMillis());
    }
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
    double exponential = initialBackoff.toMillis() * Math.pow(2, doublings);
    double capped = Math.min(exponential, maxBackoff.toMillis());
    return Math.round(capped * (1 - JITTER * random.getAsDouble()));
  }

  /**
   * Whether {@code failure} (or what it wraps in a {@link CompletionException}) is a retryable SDK
   * failure.
   */
  public static boolean isRetryable(Throwable failure) {
    return unwrap(failure) instanceof OpenAvatharException e && e.isRetryable();
  }

  /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
