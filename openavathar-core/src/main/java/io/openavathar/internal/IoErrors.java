package io.openavathar.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Words for network failures in messages ("connection refused" rather than a class name), shared by
 * all remotes.
 */
public final class IoErrors {
  private IoErrors() {}

  /** A short, human description of why a connection failed. */
  public static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    } else if (e instanceof UnknownHostException) {
      return "unknown host";
    } else if (e instanceof NoRouteToHostException) {
      return "no route to host";
    } else if (e instanceof SocketTimeoutException) {
      return "timed out";
    } else if (e instanceof InterruptedIOException) {
      return "interrupted or timed out";
    } else if (e instanceof SSLException) {
      return "TLS failed (" + e.getMessage() + ")";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
