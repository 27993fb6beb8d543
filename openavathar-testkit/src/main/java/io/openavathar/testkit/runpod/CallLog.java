package io.openavathar.testkit.runpod;

import java.nio.charset.StandardCharsets;
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

/** Every API and proxy request received, and a call counter per endpoint. Thread-safe. */
final class CallLog {

  private final List<RecordedApiRequest> api = new CopyOnWriteArrayList<>();
  private final List<RecordedApiRequest> proxy = new CopyOnWriteArrayList<>();
  private final BlockingQueue<RecordedApiRequest> untaken = new LinkedBlockingQueue<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  /** Counts one call of {@code METHOD route}, for example {@code "POST /v2/pods/{id}/action"}. */
  synchronized void count(String method, String route) {
    counts.merge(method + " " + route, 1, Integer::sum);
  }

  synchronized Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  synchronized int count(String key) {
    return counts.getOrDefault(key, 0);
  }

  void recordApi(Request request, String route, byte[] body, int status) {
    RecordedApiRequest recorded = recorded(request, route, body, status);
    api.add(recorded);
    untaken.add(recorded);
  }

  void recordProxy(Request request, int status) {
    proxy.add(recorded(request, "/proxy/{podId}-{port}", new byte[0], status));
  }

  List<RecordedApiRequest> api() {
    return List.copyOf(api);
  }

  List<RecordedApiRequest> proxy() {
    return List.copyOf(proxy);
  }

  RecordedApiRequest take(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static RecordedApiRequest recorded(
      Request request, String route, byte[] body, int status) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers
          .computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(field.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    String query = request.getHttpURI().getQuery();
    return new RecordedApiRequest(
        request.getMethod(),
        request.getHttpURI().getPath(),
        route,
        query == null ? "" : query,
        headers,
        new String(body, StandardCharsets.UTF_8),
        status);
  }
}
