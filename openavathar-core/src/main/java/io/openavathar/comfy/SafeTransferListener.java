package io.openavathar.comfy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shields a transfer from a throwing {@link TransferListener}: the first failure is logged at WARN,
 * the rest ignored.
 */
final class SafeTransferListener implements TransferListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeTransferListener.class);

  private final TransferListener delegate;
  private final AtomicBoolean warned = new AtomicBoolean();

  private SafeTransferListener(TransferListener delegate) {
    this.delegate = delegate;
  }

  static TransferListener of(TransferListener listener) {
    return listener == TransferListener.NONE || listener instanceof SafeTransferListener
        ? listener
        : new SafeTransferListener(listener);
  }

  @Override
  public void onProgress(long bytesDone, long bytesTotal) {
    try {
      delegate.onProgress(bytesDone, bytesTotal);
    } catch (RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn(
            "A TransferListener threw; the transfer goes on and further failures are not logged",
            e);
      }
    }
  }
}
