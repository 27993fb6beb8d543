package io.openavathar.testkit.comfy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the simulator's worker inside one node of the next prompt that executes it, after the
 * node's {@code executing} event and before its work, until {@link #release()}: a slow node, on
 * cue. The prompt stays in {@code queue_running} meanwhile, and an interrupt requested then takes
 * effect only at the next node boundary or sampler step, as on the real server. Made by {@link
 * ComfyUiSimulator#holdNode(String)}; thread-safe.
 */
public final class NodeHold {

  private final String nodeId;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  NodeHold(String nodeId) {
    this.nodeId = nodeId;
  }

  /**
   * The held node's id.
   *
   * @return the node id, as in the prompt's graph
   */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Waits until the worker is held in the node.
   *
   * @param timeout how long to wait at most
   * @throws IllegalStateException if no prompt reaches the node within {@code timeout}
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void awaitReached(Duration timeout) throws InterruptedException {
    if (!reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("No prompt reached node " + nodeId + " within " + timeout);
    }
  }

  /**
   * Whether a prompt is (or was) held in the node.
   *
   * @return true once a prompt reached the node, also after it was released
   */
  public boolean isReached() {
    return reached.getCount() == 0;
  }

  /** Lets the node run on (and every later prompt pass it). Idempotent. */
  public void release() {
    released.countDown();
  }

  /** On the worker: marks the node reached and waits for {@link #release()}. */
  void hold() throws InterruptedException {
    reached.countDown();
    released.await();
  }

  @Override
  public String toString() {
    return "NodeHold[node=" + nodeId + (isReached() ? ", reached" : "") + "]";
  }
}
