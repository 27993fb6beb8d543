package io.openavathar.license.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A small test client for the license server. */
final class Http {
  static final MediaType JSON = MediaType.get("application/json");
  static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final OkHttpClient CLIENT =
      new OkHttpClient.Builder()
          .connectionPool(new ConnectionPool(64, 1, TimeUnit.MINUTES))
          .dispatcher(dispatcher())
          .callTimeout(10, TimeUnit.SECONDS)
          .build();

  /** One answer. */
  record Answer(int status, String body, Headers headers) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  private final URI base;

  Http(URI base) {
    this.base = base;
  }

  Answer get(String pathAndQuery) {
    return call(new Request.Builder().url(base + pathAndQuery).get().build());
  }

  Answer post(String path, String json) {
    return post(path, RequestBody.create(json, JSON), Headers.of());
  }

  Answer post(String path, RequestBody body, Headers headers) {
    return call(new Request.Builder().url(base + path).headers(headers).post(body).build());
  }

  Answer call(Request request) {
    try (Response r = CLIENT.newCall(request).execute()) {
      return new Answer(r.code(), r.body().string(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Dispatcher dispatcher() {
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(256);
    d.setMaxRequestsPerHost(256);
    return d;
  }
}
