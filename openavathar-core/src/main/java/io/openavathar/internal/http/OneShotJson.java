package io.openavathar.internal.http;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** A JSON request body OkHttp may write once only, so it never replays it on its own. */
final class OneShotJson extends RequestBody {
  private final byte[] bytes;

  OneShotJson(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public MediaType contentType() {
    return HttpCore.JSON;
  }

  @Override
  public long contentLength() {
    return bytes.length;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.write(bytes);
  }

  @Override
  public boolean isOneShot() {
    return true;
  }
}
