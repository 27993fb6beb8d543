package io.openavathar.testkit.runpod;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's time and its scheduled pod transitions. In real-time mode a daemon thread applies
 * transitions when the wall clock reaches them; in manual mode time stands still until {@link
 * #advance(Duration)} or {@link #tick()}, which apply the transitions on the caller's thread.
 * Either way {@link #runDue()} applies whatever is due now.
 *
 * <p>Transitions run one at a time, in due order, under {@code runner}; they must not be called
 * while the caller holds the pod registry's lock (they take it themselves).
 */
final class Timeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Timeline.class);

  private record Scheduled(Instant due, long sequence, Runnable action)
      implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled other) {
      int byDue = due.compareTo(other.due);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }

  private final boolean manual;
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
  private final ReentrantLock runner = new ReentrantLock();
  private final Thread clockThread;
  private Instant manualNow;
  private long sequence;
  private boolean closed;

  /** A real-time timeline. */
  static Timeline realTime() {
    return new Timeline(null);
  }

  /** A manual timeline that starts at {@code start} and moves only when told to. */
  static Timeline manual(Instant start) {
    return new Timeline(start);
  }

  private Timeline(Instant manualStart) {
    this.manual = manualStart != null;
    this.manualNow = manualStart;
    if (manual) {
      clockThread = null;
    } else {
      clockThread = new Thread(this::runClock, "runpod-simulator-clock");
      clockThread.setDaemon(true);
      clockThread.start();
    }
  }

  boolean isManual() {
    return manual;
  }

  synchronized Instant now() {
    return manual ? manualNow : Instant.now();
  }

  /** Runs {@code action} once the timeline reaches now + {@code delay}. */
  synchronized void schedule(Duration delay, Runnable action) {
    queue.add(new Scheduled(now().plus(delay), sequence++, action));
    notifyAll();
  }

  /** Applies every transition due now, in order, including those that become due while applying. */
  void runDue() {
    runner.lock();
    try {
      Scheduled next;
      while ((next = takeDue(null)) != null) {
        run(next);
      }
    } finally {
      runner.unlock();
    }
  }

  /**
   * Manual mode: moves time forward by {@code duration}, applying each transition at its own due
   * time.
   */
  void advance(Duration duration) {
    requireManual("advance");
    runner.lock();
    try {
      Instant target;
      synchronized (this) {
        target = manualNow.plus(duration);
      }
      Scheduled next;
      while ((next = takeDue(target)) != null) {
        run(next);
      }
      synchronized (this) {
        if (manualNow.isBefore(target)) {
          manualNow = target;
        }
      }
    } finally {
      runner.unlock();
    }
  }

  /**
   * Manual mode: jumps to the next scheduled transition and applies everything due then; false if
   * none.
   */
  boolean tick() {
    requireManual("tick");
    runner.lock();
    try {
      synchronized (this) {
        Scheduled next = queue.peek();
        if (next == null) {
          return false;
        }
        if (next.due().isAfter(manualNow)) {
          manualNow = next.due();
        }
      }
      runDue();
      return true;
    } finally {
      runner.unlock();
    }
  }

  /**
   * Takes the earliest transition due by {@code limit} (manual) or now; in manual mode moves time
   * to it.
   */
  private synchronized Scheduled takeDue(Instant limit) {
    Scheduled next = queue.peek();
    Instant bound = limit != null ? limit : now();
    if (closed || next == null || next.due().isAfter(bound)) {
      return null;
    }
    queue.poll();
    if (manual && next.due().isAfter(manualNow)) {
      manualNow = next.due();
    }
    return next;
  }

  private static void run(Scheduled scheduled) {
    try {
      scheduled.action().run();
    } catch (RuntimeException e) {
      LOG.warn("A scheduled pod transition failed; the pod may be stuck in its current status", e);
    }
  }

  private void runClock() {
    while (true) {
      synchronized (this) {
        try {
          while (!closed) {
            Scheduled next = queue.peek();
            if (next == null) {
              wait();
              continue;
            }
            long waitMillis = Duration.between(Instant.now(), next.due()).toMillis();
            if (waitMillis <= 0) {
              break;
            }
            wait(waitMillis);
          }
        } catch (InterruptedException e) {
          return;
        }
        if (closed) {
          return;
        }
      }
      runDue();
    }
  }

  private void requireManual(String operation) {
    if (!manual) {
      throw new IllegalStateException(
          operation
              + "() needs manual time; build the simulator with "
              + "manualTime() to step time from the test");
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queue.clear();
      notifyAll();
    }
    if (clockThread != null) {
      clockThread.interrupt();
    }
  }
}
