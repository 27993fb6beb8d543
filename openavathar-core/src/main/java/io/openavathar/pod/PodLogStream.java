package io.openavathar.pod;

/** A running subscription to a pod's log; {@link #close()} stops it (idempotent). */
public interface PodLogStream extends AutoCloseable {
  @Override
  void close();
}
