package io.openavathar.comfy;

import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /view} (reference §2.3) streamed to a {@code .part} sibling of the target, then moved
 * into place. When the body breaks mid-transfer, the next attempt asks for the rest with {@code
 * Range: bytes=<have>-}: 206 appends (after checking where the server resumed), 200 means the
 * server ignored the range and the file starts over, 416 means nothing is left when the sizes
 * match. Attempts and delays come from the client's retry policy. One buffer per download, reused;
 * the file is never held in memory.
 */
final class Downloads {
  private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);
  private static final String OPERATION = "GET /view";
  private static final int BUFFER_BYTES = 1024 * 1024;

  /** The stall watchdog looks at most this often. */
  private static final long WATCHDOG_MAX_PERIOD_MILLIS = 5_000;

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  private Downloads() {}

  static CompletableFuture<Long> download(
      ComfyHttp h, OutputFile file, Path target, TransferListener listener) {
    HttpUrl url =
        h.url("view")
            .newBuilder()
            .addQueryParameter("filename", file.filename())
            .addQueryParameter("subfolder", file.subfolder())
            .addQueryParameter("type", file.type())
            .build();
    Transfer t = new Transfer(h, file, target, SafeTransferListener.of(listener));
    CompletableFuture<Long> result = h.retried(OPERATION, until -> t.attempt(url, until));
    // The caller's future completes only after a failed download's part file is gone; cancelling it
    // cancels ours.
    CompletableFuture<Long> out = new CompletableFuture<>();
    result.whenComplete(
        (n, e) -> {
          if (e != null) {
            t.discard();
            out.completeExceptionally(e);
          } else {
            out.complete(n);
          }
        });
    out.whenComplete((n, e) -> result.cancel(false));
    return out;
  }

  /**
   * The state of one download across attempts. Attempts run one after another (the next starts only
   * after the previous future completed), so the fields are never touched by two threads at once.
   */
  private static final class Transfer {
    private final ComfyHttp h;
    private final OutputFile file;
    private final Path target;
    private final Path part;
    private final TransferListener listener;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private long have;
    private long total = -1;

    /** System.nanoTime() of the last byte received; read by the stall watchdog. */
    private volatile long lastProgress;

    Transfer(ComfyHttp h, OutputFile file, Path target, TransferListener listener) {
      this.h = h;
      this.file = file;
      this.target = target.toAbsolutePath();
      this.part = this.target.resolveSibling(this.target.getFileName() + ".part");
      this.listener = listener;
    }

    CompletableFuture<Long> attempt(HttpUrl url, CompletableFuture<?> until) {
      // identity: byte offsets must be those of the file, so no transparent gzip.
      Request.Builder request = h.request(url).get().header("Accept-Encoding", "identity");
      if (have > 0) {
        request.header("Range", "bytes=" + have + "-");
      }
      // No read timeout on this call (see ComfyHttp#exchangeStreaming); a watchdog cuts a stalled
      // transfer
      // instead, and the retry resumes it with a Range request.
      CompletableFuture<Void> stop = new CompletableFuture<>();
      until.whenComplete((v, e) -> stop.complete(null));
      lastProgress = System.nanoTime();
      long stallNanos = h.stallTimeout().toNanos();
      long period =
          Math.max(10, Math.min(WATCHDOG_MAX_PERIOD_MILLIS, h.stallTimeout().toMillis() / 4));
      java.util.concurrent.ScheduledFuture<?> watchdog =
          h.scheduler()
              .scheduleAtFixedRate(
                  () -> {
                    if (System.nanoTime() - lastProgress > stallNanos) {
                      LOG.debug(
                          "No byte of '{}' for {}; cutting the transfer to resume it",
                          file.filename(),
                          h.stallTimeout());
                      stop.complete(null);
                    }
                  },
                  period,
                  period,
                  java.util.concurrent.TimeUnit.MILLISECONDS);
      return h.exchangeStreaming(OPERATION, request.build(), stop, this::receive)
          .whenComplete((v, e) -> watchdog.cancel(false));
    }

    private Long receive(Response response) throws IOException {
      int code = response.code();
      if (code == 404) {
        throw new OpenAvatharException(
            "ComfyUI has no file '"
                + file.filename()
                + "' in "
                + where()
                + ": it was deleted or the server was reinstalled.");
      } else if (code == 416) {
        long size = contentRange(response)[2];
        if (have > 0 && size == have) {
          total = size;
          return finish();
        }
        restart(
            "the server cannot serve bytes from " + have + " (its file has " + size + " bytes)");
      } else if (code == 206) {
        long[] range = contentRange(response);
        if (range[0] != have) {
          restart("the server resumed at byte " + range[0] + " instead of " + have);
        }
        total = range[2];
        copy(response, true);
        return finish();
      } else if (code == 200) {
        if (have > 0) {
          LOG.debug(
              "ComfyUI ignored the Range request for '{}'; downloading it again from the start",
              file.filename());
        }
        have = 0;
        total = response.body().contentLength();
        copy(response, false);
        return finish();
      }
      throw h.failure(OPERATION, response);
    }

    /**
     * Copies the body to the part file; a read failure propagates as IOException (resumable), a
     * write one not. Reads come in Okio segments (8 KiB); they are gathered into the buffer and
     * written a buffer at a time, which halves the system calls of a large download.
     */
    private void copy(Response response, boolean append) throws IOException {
      BufferedSource source = response.body().source();
      IOException broken = null;
      try (OutputStream out = openPart(append)) {
        listener.onProgress(have, total);
        int filled = 0;
        while (true) {
          int n;
          try {
            n = source.read(buffer, filled, buffer.length - filled);
          } catch (IOException e) {
            broken = e;
            n = -1;
          }
          if (n > 0) {
            filled += n;
            lastProgress = System.nanoTime();
          }
          if (filled > 0 && (n == -1 || filled == buffer.length)) {
            out.write(buffer, 0, filled);
            have += filled;
            filled = 0;
            listener.onProgress(have, total);
          }
          if (n == -1) {
            break;
          }
        }
      } catch (IOException e) {
        throw cannotWrite(e);
      }
      if (broken != null) {
        throw broken;
      }
    }

    private OutputStream openPart(boolean append) {
      try {
        Files.createDirectories(part.getParent());
        return Files.newOutputStream(
            part,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        throw cannotWrite(e);
      }
    }

    private Long finish() throws IOException {
      if (total >= 0 && have != total) {
        throw new IOException("the body ended at byte " + have + " of " + total);
      }
      try {
        try {
          Files.move(
              part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new OpenAvatharException(
            "Downloaded '"
                + file.filename()
                + "' but could not move it to "
                + target
                + ": "
                + e.getMessage()
                + ". Check that the target is writable.",
            e);
      }
      return have;
    }

    /**
     * Drops what we have and fails this attempt as transient, so that the next one starts from byte
     * 0.
     */
    private void restart(String why) {
      have = 0;
      total = -1;
      discard();
      throw new RemoteUnavailableException(
          "Could not resume '" + file.filename() + "' from ComfyUI: " + why + "; starting over.",
          null);
    }

    void discard() {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        LOG.debug("Could not delete {}: {}", part, e.toString());
      }
    }

    private OpenAvatharException cannotWrite(IOException e) {
      return new OpenAvatharException(
          "Could not write '"
              + file.filename()
              + "' to "
              + part
              + ": "
              + e.getMessage()
              + ". Check free disk space and that the directory is writable.",
          e);
    }

    private String where() {
      return file.subfolder().isEmpty() ? file.type() : file.type() + "/" + file.subfolder();
    }

    /** {@code [start, end, total]} of a Content-Range header; -1 for parts given as {@code *}. */
    private long[] contentRange(Response response) throws IOException {
      String header = response.header("Content-Range");
      Matcher m = header == null ? null : CONTENT_RANGE.matcher(header.trim());
      if (m == null || !m.matches()) {
        throw new IOException(
            "HTTP " + response.code() + " without a readable Content-Range: " + header);
      }
      return new long[] {
        m.group(1) == null ? -1 : Long.parseLong(m.group(1)),
        m.group(2) == null ? -1 : Long.parseLong(m.group(2)),
        "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3))
      };
    }
  }
}
