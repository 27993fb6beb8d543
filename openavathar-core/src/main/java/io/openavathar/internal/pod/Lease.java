package io.openavathar.internal.pod;

import io.openavathar.pod.Pod;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job's hold on a pod, from {@link PodPlacement#acquire}: counts toward the pod's load and keeps
 * it from idle stop until closed. Closing it releases the slot into the placement's books ({@link
 * PodSlots}) and nowhere else.
 */
public final class Lease implements AutoCloseable {
  private final Pod pod;
  private final PodSlots slots;
  private final AtomicBoolean closed = new AtomicBoolean();

  Lease(Pod pod, PodSlots slots) {
    this.pod = pod;
    this.slots = slots;
  }

  public Pod pod() {
    return pod;
  }

  /** Ends the lease (idempotent); the slot goes to the next job waiting for this pod. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      slots.release(pod);
    }
  }

  @Override
  public String toString() {
    return "Lease{" + pod.id() + (closed.get() ? ", closed}" : "}");
  }
}
