package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/** Reads one Server-Sent Events stream on a background thread, for tests. */
final class SseReader implements AutoCloseable {

  /** One event: its id and parsed data. */
  record Event(String id, JsonNode data) {
    String line() {
      return data.get("line").asText();
    }
  }

  final int status;
  final String contentType;
  private final Call call;
  private final Response response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean failed;

  SseReader(RunPodClient client, String path, String lastEventId) throws IOException {
    Request.Builder request = client.request(path).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    call = client.http.newCall(request.build());
    response = call.execute();
    status = response.code();
    contentType = response.header("Content-Type");
    Thread reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (Response owned = response) {
      BufferedSource source = owned.body().source();
      String id = null;
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          events.add(new Event(id, RunPodClient.JSON.readTree(line.substring(6))));
        }
      }
    } catch (IOException e) {
      failed = true;
    } finally {
      ended.countDown();
    }
  }

  /** The next event, failing the test when none comes within the client timeout. */
  Event next() throws InterruptedException {
    Event event = events.poll(RunPodClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new AssertionError("No log event within " + RunPodClient.TIMEOUT);
    }
    return event;
  }

  /** Takes events until one's line contains {@code text}; returns it. */
  Event awaitLine(String text) throws InterruptedException {
    while (true) {
      Event event = next();
      if (event.line().contains(text)) {
        return event;
      }
    }
  }

  /**
   * Waits for the stream to end; true when it ended with an error (cut), false when it completed.
   */
  boolean awaitEnd() throws InterruptedException {
    if (!ended.await(RunPodClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("The log stream did not end within " + RunPodClient.TIMEOUT);
    }
    return failed;
  }

  /** Events received and not yet taken. */
  int pending() {
    return events.size();
  }

  /** Cancels the call; the reader thread sees the failure and closes the response itself. */
  @Override
  public void close() {
    call.cancel();
    try {
      ended.await(RunPodClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
