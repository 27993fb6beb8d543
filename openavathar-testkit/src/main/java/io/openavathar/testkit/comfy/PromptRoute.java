package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /prompt} and {@code GET /prompt}: validation, queueing and the {@code status}
 * broadcast, which goes out (and the worker may start) before the HTTP answer is written, as on the
 * real server.
 */
final class PromptRoute implements SimulatorHandler.Route {

  private static final Logger LOG = LoggerFactory.getLogger(PromptRoute.class);

  private final PromptQueue queue;
  private final PromptValidator validator;
  private final EventHub hub;
  private final Faults faults;
  private final Ids ids;
  private final List<String> promptIdsSeen = new CopyOnWriteArrayList<>();

  PromptRoute(PromptQueue queue, PromptValidator validator, EventHub hub, Faults faults, Ids ids) {
    this.queue = queue;
    this.validator = validator;
    this.hub = hub;
    this.faults = faults;
    this.ids = ids;
  }

  List<String> promptIdsSeen() {
    return List.copyOf(promptIdsSeen);
  }

  @Override
  public Reply handle(Exchange exchange) throws Exception {
    if (!exchange.route().equals("/prompt")) {
      return null;
    }
    if (exchange.method().equals("GET")) {
      ObjectNode info = Json.object();
      info.putObject("exec_info").put("queue_remaining", queue.remaining());
      return Reply.json(info);
    }
    if (!exchange.method().equals("POST")) {
      return Reply.empty(405);
    }
    JsonNode body = exchange.bodyJson();
    if (!body.isObject()) {
      throw new IllegalArgumentException("POST /prompt body is not a JSON object");
    }
    Number number = queue.assignNumber(body);
    JsonNode prompt = body.get("prompt");
    if (prompt == null) {
      ObjectNode answer = Json.object();
      answer.set(
          "error", PromptValidator.error("no_prompt", "No prompt provided", "No prompt provided"));
      answer.putObject("node_errors");
      return Reply.json(400, answer);
    }
    if (!prompt.isObject()) {
      throw new IllegalArgumentException("prompt is not a JSON object");
    }
    JsonNode requestedId = body.get("prompt_id");
    String promptId =
        requestedId != null && !requestedId.isNull() ? requestedId.asText() : ids.uuid();
    Validation validation =
        validator.validate(new Graph((ObjectNode) prompt), faults.takeNodeError());
    ObjectNode extraData =
        body.get("extra_data") instanceof ObjectNode
            ? ((ObjectNode) body.get("extra_data")).deepCopy()
            : Json.object();
    if (body.has("client_id")) {
      extraData.set("client_id", body.get("client_id"));
    }
    if (!validation.accepted()) {
      LOG.debug(
          "Prompt rejected [promptId={}, type={}]",
          promptId,
          validation.error().get("type").asText());
      ObjectNode answer = Json.object();
      answer.set("error", validation.error());
      answer.set("node_errors", validation.nodeErrors());
      return Reply.json(400, answer);
    }
    QueueItem item =
        new QueueItem(
            number,
            promptId,
            ((ObjectNode) prompt).deepCopy(),
            extraData,
            validation.outputs(),
            queue.nextSeq());
    promptIdsSeen.add(promptId);
    queue.put(item);
    hub.broadcastStatus();
    LOG.debug(
        "Prompt queued [promptId={}, number={}, outputs={}]",
        promptId,
        number,
        validation.outputs());
    ObjectNode answer = Json.object();
    answer.put("prompt_id", promptId);
    if (number instanceof Double) {
      answer.put("number", number.doubleValue());
    } else {
      answer.put("number", number.longValue());
    }
    answer.set("node_errors", validation.nodeErrors());
    return Reply.json(answer);
  }
}
