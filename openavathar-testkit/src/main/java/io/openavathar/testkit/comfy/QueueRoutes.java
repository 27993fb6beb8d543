package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * {@code /queue}, {@code /history}, {@code /interrupt} and {@code /free}: queue inspection and
 * control, with ComfyUI's answers (mostly 200 with an empty body) and its 500 on a body that is not
 * JSON.
 */
final class QueueRoutes implements SimulatorHandler.Route {

  private final PromptQueue queue;
  private final EventHub hub;

  QueueRoutes(PromptQueue queue, EventHub hub) {
    this.queue = queue;
    this.hub = hub;
  }

  @Override
  public Reply handle(Exchange exchange) throws Exception {
    String route = exchange.route();
    String method = exchange.method();
    switch (route) {
      case "/queue":
        return method.equals("GET")
            ? Reply.json(queue.queueJson())
            : method.equals("POST") ? postQueue(exchange) : Reply.empty(405);
      case "/history":
        return method.equals("GET")
            ? getHistory(exchange)
            : method.equals("POST") ? postHistory(exchange) : Reply.empty(405);
      case "/interrupt":
        return method.equals("POST") ? interrupt(exchange) : Reply.empty(405);
      case "/free":
        if (!method.equals("POST")) {
          return Reply.empty(405);
        }
        exchange.bodyJson();
        return Reply.empty(200);
      default:
        if (route.startsWith("/history/")) {
          return method.equals("GET")
              ? Reply.json(queue.historyOf(route.substring("/history/".length())))
              : Reply.empty(405);
        }
        return null;
    }
  }

  private Reply postQueue(Exchange exchange) throws IOException {
    JsonNode body = exchange.bodyJson();
    if (body.path("clear").asBoolean(false)) {
      queue.clearPending();
      hub.broadcastStatus();
    }
    for (JsonNode id : body.path("delete")) {
      if (queue.deletePending(id.asText())) {
        hub.broadcastStatus();
      }
    }
    return Reply.empty(200);
  }

  private Reply getHistory(Exchange exchange) {
    String maxItems = exchange.query("max_items");
    String offset = exchange.query("offset");
    return Reply.json(
        queue.history(
            maxItems == null ? null : Integer.valueOf(maxItems),
            offset == null ? -1 : Integer.parseInt(offset)));
  }

  private Reply postHistory(Exchange exchange) throws IOException {
    JsonNode body = exchange.bodyJson();
    if (body.path("clear").asBoolean(false)) {
      queue.clearHistory();
    }
    for (JsonNode id : body.path("delete")) {
      queue.deleteHistory(id.asText());
    }
    return Reply.empty(200);
  }

  private Reply interrupt(Exchange exchange) throws IOException {
    JsonNode body;
    try {
      body = exchange.bodyJson();
    } catch (IOException notJson) {
      body = Json.object(); // an empty or non-JSON body is a global interrupt
    }
    JsonNode promptId = body == null ? null : body.get("prompt_id");
    queue.interrupt(
        promptId != null && !promptId.isNull() && !promptId.asText().isEmpty()
            ? promptId.asText()
            : null);
    return Reply.empty(200);
  }
}
