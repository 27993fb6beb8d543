package io.openavathar.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetriesTest {
  private final RecordingScheduler scheduler = new RecordingScheduler();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void delay_withoutRetryAfter_doublesUpToMaxBackoff() {
    Retries r = Retries.withRandom(10, Duration.ofMillis(100), Duration.ofMillis(500), () -> 0.0);
    RemoteUnavailableException failure = new RemoteUnavailableException("down", null);

    assertThat(List.of(1, 2, 3, 4, 5).stream().map(n -> r.delayMillis(n, failure)))
        .containsExactly(100L, 200L, 400L, 500L, 500L);
  }

  @Test
  void delay_jitterTakesOffAtMostAQuarter() {
    Retries r = Retries.withRandom(10, Duration.ofMillis(1000), Duration.ofSeconds(8), () -> 0.999);

    assertThat(r.delayMillis(1, new RemoteUnavailableException("down", null))).isEqualTo(750L);
  }

  @Test
  void delay_whenRetryAfterGiven_usesItEvenWhenWrapped() {
    Retries r = Retries.withRandom(10, Duration.ofMillis(1), Duration.ofSeconds(8), () -> 0.5);
    RemoteUnavailableException busy =
        new RemoteUnavailableException("busy", null, Duration.ofSeconds(3));

    assertThat(r.delayMillis(1, busy)).isEqualTo(3000L);
    assertThat(r.delayMillis(1, new CompletionException(busy))).isEqualTo(3000L);
  }

  @Test
  void delay_whenRetryAfterHuge_isCappedAtFourTimesMaxBackoff() {
    Retries r = Retries.of(10, Duration.ofMillis(1), Duration.ofSeconds(8));

    assertThat(r.delayMillis(1, new RemoteUnavailableException("busy", null, Duration.ofHours(5))))
        .isEqualTo(32_000L);
  }

  @Test
  void intervalFunction_isWhatResilience4jSees() {
    Retries r = Retries.withRandom(10, Duration.ofMillis(1), Duration.ofSeconds(8), () -> 0.0);
    RemoteUnavailableException busy =
        new RemoteUnavailableException("busy", null, Duration.ofSeconds(2));

    long delay =
        r.<String>intervalFunction()
            .apply(1, io.github.resilience4j.core.functions.Either.left(busy));

    assertThat(delay).isEqualTo(2000L);
  }

  @Test
  void execute_retriesTransientFailuresUntilSuccess() throws Exception {
    Retries r = Retries.of(4, Duration.ofMillis(1), Duration.ofMillis(2));
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        r.execute(
            "test op",
            scheduler,
            () ->
                calls.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new RemoteUnavailableException("down", null))
                    : CompletableFuture.completedFuture("ok"));

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void execute_stopsAtMaxAttempts_andFailsWithTheLastFailureUnwrapped() {
    Retries r = Retries.of(3, Duration.ofMillis(1), Duration.ofMillis(2));
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        r.execute(
            "test op",
            scheduler,
            () ->
                CompletableFuture.<String>completedFuture("x")
                    .thenApply(
                        x -> {
                          throw new RemoteUnavailableException(
                              "down " + calls.incrementAndGet(), null);
                        }));

    Throwable failure = catchThrowable(() -> result.get(10, TimeUnit.SECONDS));
    assertThat(calls).hasValue(3);
    assertThat(result.handle((v, e) -> e).join())
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessage("down 3");
    assertThat(failure).hasCauseInstanceOf(RemoteUnavailableException.class);
  }

  @Test
  void execute_doesNotRetryNonRetryableFailures() {
    Retries r = Retries.of(5, Duration.ofMillis(1), Duration.ofMillis(2));
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        r.execute(
            "test op",
            scheduler,
            () -> {
              calls.incrementAndGet();
              return CompletableFuture.failedFuture(new InvalidInputException("bad"));
            });

    assertThat(result.handle((v, e) -> e).join()).isInstanceOf(InvalidInputException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void execute_doesNotRetryForeignExceptions() {
    Retries r = Retries.of(5, Duration.ofMillis(1), Duration.ofMillis(2));
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        r.execute(
            "test op",
            scheduler,
            () -> {
              calls.incrementAndGet();
              throw new IllegalStateException("bug");
            });

    assertThat(result.handle((v, e) -> e).join()).isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void execute_waitsWhatRetryAfterSays() throws Exception {
    Retries r = Retries.of(3, Duration.ofMillis(1), Duration.ofSeconds(8));
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        r.execute(
            "test op",
            scheduler,
            () ->
                calls.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(
                        new RemoteUnavailableException("busy", null, Duration.ofSeconds(7)))
                    : CompletableFuture.completedFuture("ok"));

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(scheduler.delaysMillis).containsExactly(7000L);
  }

  @Test
  void execute_whenResultCancelledDuringBackoff_startsNoFurtherAttempt() {
    Retries r = Retries.of(5, Duration.ofMillis(1), Duration.ofMillis(2));
    AtomicInteger calls = new AtomicInteger();
    scheduler.hold = true;

    CompletableFuture<String> result =
        r.execute(
            "test op",
            scheduler,
            () -> {
              calls.incrementAndGet();
              return CompletableFuture.failedFuture(new RemoteUnavailableException("down", null));
            });
    result.cancel(false);
    scheduler.held.forEach(Runnable::run);

    assertThat(scheduler.held).hasSize(1);
    assertThat(calls).hasValue(1);
  }

  @Test
  void isRetryable_onlyForRetryableSdkExceptions() {
    assertThat(Retries.isRetryable(new RemoteUnavailableException("x", null))).isTrue();
    assertThat(
            Retries.isRetryable(new CompletionException(new RemoteUnavailableException("x", null))))
        .isTrue();
    assertThat(Retries.isRetryable(new OpenAvatharException("x"))).isFalse();
    assertThat(Retries.isRetryable(new java.io.IOException("x"))).isFalse();
  }

  /**
   * Runs scheduled tasks at once (or holds them for the test to run) and records the delays asked
   * for.
   */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Long> delaysMillis = new CopyOnWriteArrayList<>();
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    volatile boolean hold;

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      delaysMillis.add(unit.toMillis(delay));
      if (hold) {
        held.add(command);
        return super.schedule(() -> {}, 1, TimeUnit.DAYS);
      }
      return super.schedule(command, 0, TimeUnit.MILLISECONDS);
    }
  }
}
