package io.openavathar.comfy;

import java.io.IOException;
import java.nio.file.Path;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * A file streamed from disk through Okio in chunks, reporting the bytes written. Never holds more
 * than a few segments in memory, so a 1 GiB file uploads with a small heap. Can be written again
 * (OkHttp may replay it on a stale pooled connection); progress then restarts from 0.
 */
final class ProgressRequestBody extends RequestBody {
  private static final long CHUNK = 64 * 1024;

  private final Path file;
  private final long size;
  private final MediaType contentType;
  private final TransferListener listener;

  ProgressRequestBody(Path file, long size, MediaType contentType, TransferListener listener) {
    this.file = file;
    this.size = size;
    this.contentType = contentType;
    this.listener = listener;
  }

  @Override
  public MediaType contentType() {
    return contentType;
  }

  @Override
  public long contentLength() {
    return size;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    long done = 0;
    listener.onProgress(0, size);
    Source source;
    try {
      source = Okio.source(file);
    } catch (IOException e) {
      throw new FileReadException(file, e);
    }
    try (source) {
      while (done < size) {
        long read;
        try {
          read = source.read(sink.getBuffer(), Math.min(CHUNK, size - done));
        } catch (IOException e) {
          throw new FileReadException(file, e);
        }
        if (read == -1) {
          throw new FileReadException(
              file,
              new IOException(
                  "it shrank from " + size + " to " + done + " bytes while it was uploaded"));
        }
        sink.emitCompleteSegments();
        done += read;
        listener.onProgress(done, size);
      }
    }
  }

  /** Reading the local file failed (not the network): the upload cannot succeed by retrying. */
  static final class FileReadException extends IOException {
    private static final long serialVersionUID = 1L;

    FileReadException(Path file, IOException cause) {
      super("Could not read '" + file + "' while uploading it: " + cause.getMessage(), cause);
    }
  }
}
