package io.openavathar.comfy;

/**
 * Byte progress of an upload or download. Called on an OkHttp thread, often (every few KiB); keep
 * it fast and never block. {@code total} is -1 when unknown.
 */
@FunctionalInterface
public interface TransferListener {
  /** Ignores progress. */
  TransferListener NONE = (done, total) -> {};

  /**
   * Reports bytes transferred so far.
   *
   * @param bytesDone bytes transferred so far
   * @param bytesTotal bytes to transfer, or -1 when unknown
   */
  void onProgress(long bytesDone, long bytesTotal);
}
