package io.openavathar.testkit.comfy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * Every request received, in arrival-of-answer order, for {@code requests()} and {@code
 * takeRequest()}.
 */
final class RequestLog {

  private final List<RecordedRequest> all = new CopyOnWriteArrayList<>();
  private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();

  void record(Request request, String route) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers
          .computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(field.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    String query = request.getHttpURI().getQuery();
    RecordedRequest recorded =
        new RecordedRequest(
            request.getMethod(),
            request.getHttpURI().getPath(),
            route,
            query == null ? "" : query,
            headers,
            Request.getContentBytesRead(request));
    all.add(recorded);
    untaken.add(recorded);
  }

  List<RecordedRequest> all() {
    return List.copyOf(all);
  }

  RecordedRequest take(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
