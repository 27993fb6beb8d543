package io.openavathar.comfy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time moves only when a test calls {@link #advance}; due tasks run on the
 * calling thread. Its {@link #clock()} reads the same virtual time. Thread-safe: other threads
 * (OkHttp's) may schedule into it.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final Object lock = new Object();
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long nowNanos;
  private long sequence;
  private boolean shutdown;

  /** A clock at the scheduler's virtual time. */
  Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        synchronized (lock) {
          return START.plusNanos(nowNanos);
        }
      }
    };
  }

  /** Moves time forward by {@code duration}, running every task that falls due, in time order. */
  void advance(Duration duration) {
    long target;
    synchronized (lock) {
      target = nowNanos + duration.toNanos();
    }
    while (true) {
      Task<?> next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.time > target) {
          nowNanos = target;
          return;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.time);
      }
      next.run();
      if (!next.isCancelled()) {
        try {
          next.get();
        } catch (ExecutionException e) {
          throw new AssertionError("a scheduled task threw", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Tasks waiting to run (cancelled ones excluded). */
  int pending() {
    synchronized (lock) {
      return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }
  }

  /** The delay until the earliest waiting task, if any. */
  Optional<Duration> nextDelay() {
    synchronized (lock) {
      return queue.stream()
          .filter(t -> !t.isCancelled())
          .map(t -> Duration.ofNanos(t.time - nowNanos))
          .min(Duration::compareTo);
    }
  }

  /**
   * Waits (in real time, up to {@code timeout}) until a task is waiting, for code that schedules
   * from other threads; returns its delay.
   */
  Duration awaitNextDelay(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        Optional<Duration> next = nextDelay();
        if (next.isPresent()) {
          return next.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("nothing was scheduled within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return enqueue(new Task<>(command, null, unit.toNanos(delay)));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return enqueue(new Task<>(callable, unit.toNanos(delay)));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the code under test");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the code under test");
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    synchronized (lock) {
      shutdown = true;
    }
  }

  @Override
  public List<Runnable> shutdownNow() {
    synchronized (lock) {
      shutdown = true;
      List<Runnable> left = new ArrayList<>(queue);
      queue.clear();
      return left;
    }
  }

  @Override
  public boolean isShutdown() {
    synchronized (lock) {
      return shutdown;
    }
  }

  @Override
  public boolean isTerminated() {
    return isShutdown();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  private <V> Task<V> enqueue(Task<V> task) {
    synchronized (lock) {
      if (shutdown) {
        throw new RejectedExecutionException("ManualScheduler is shut down");
      }
      task.time = nowNanos + Math.max(0, task.delayNanos);
      task.sequence = sequence++;
      queue.add(task);
      lock.notifyAll();
      return task;
    }
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long delayNanos;
    long time;
    long sequence;

    Task(Runnable runnable, V result, long delayNanos) {
      super(runnable, result);
      this.delayNanos = delayNanos;
    }

    Task(Callable<V> callable, long delayNanos) {
      super(callable);
      this.delayNanos = delayNanos;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (lock) {
        return unit.convert(time - nowNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      int byTime = Long.compare(time, o.time);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      synchronized (lock) {
        queue.remove(this);
      }
      return cancelled;
    }
  }
}
