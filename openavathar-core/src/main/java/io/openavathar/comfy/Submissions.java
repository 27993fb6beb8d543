package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.internal.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /prompt} (reference §2.1), never submitted twice. A duplicate prompt is not rejected
 * by ComfyUI: it would run a second time on a paid GPU. So after a transient failure that the
 * server may have seen (anything but a refused connection), the next attempt first looks the
 * client-chosen prompt id up in {@code /queue}, then in {@code /history/{id}} (in that order: a
 * prompt that finishes between the two looks is then still found), and submits again only if the
 * server never saw it. The request body is one-shot, so OkHttp itself never replays it.
 *
 * <p>A small window remains: a server that received the prompt but is still validating it when we
 * look (before it queues it) is not found. The retry delay before the look-up makes this unlikely.
 */
final class Submissions {
  private static final Logger LOG = LoggerFactory.getLogger(Submissions.class);
  private static final String OPERATION = "POST /prompt";

  /** Warn once per JVM, not once per prompt. */
  private static final AtomicBoolean WARNED_ID_IGNORED = new AtomicBoolean();

  private Submissions() {}

  static CompletableFuture<PromptAccepted> submit(
      ComfyHttp h, ObjectNode workflow, String clientId, String promptId) {
    ObjectNode payload = Json.mapper().createObjectNode();
    payload.set("prompt", workflow);
    payload.put("client_id", clientId);
    payload.put("prompt_id", promptId);
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(payload);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new OpenAvatharException(
              "Cannot serialise the workflow of prompt " + promptId + " as JSON.", e));
    }
    AtomicBoolean mayHaveArrived = new AtomicBoolean();
    return h.retried(
        OPERATION,
        until -> {
          CompletionStage<Optional<PromptAccepted>> known =
              mayHaveArrived.get()
                  ? lookUp(h, promptId, until)
                  : CompletableFuture.completedFuture(Optional.empty());
          return known.thenCompose(
              found -> {
                if (found.isPresent()) {
                  LOG.debug(
                      "Prompt {} reached ComfyUI before the connection broke; not submitting it again",
                      promptId);
                  return CompletableFuture.completedFuture(found.get());
                }
                Request request =
                    h.request(h.url("prompt")).post(ComfyHttp.oneShotJson(bytes)).build();
                return h.exchange(
                        OPERATION, request, until, response -> answer(h, response, promptId))
                    .whenComplete(
                        (v, e) -> {
                          if (e != null && ComfyHttp.mayHaveArrived(e)) {
                            mayHaveArrived.set(true);
                          }
                        });
              });
        });
  }

  private static PromptAccepted answer(ComfyHttp h, Response response, String promptId)
      throws IOException {
    if (response.code() == 400) {
      throw PromptErrors.rejected(400, response.body().string());
    }
    JsonNode json = h.json(OPERATION, response);
    if (PromptErrors.hasNodeErrors(json)) {
      throw PromptErrors.rejected(json);
    }
    String accepted = json.path("prompt_id").asText(promptId);
    if (!accepted.equals(promptId) && WARNED_ID_IGNORED.compareAndSet(false, true)) {
      LOG.warn(
          "ComfyUI at {} ignored the client-chosen prompt id {} and used {} (servers before 0.3.44 do). Such a"
              + " server cannot be asked whether a prompt arrived, so a submit broken by the network may run twice."
              + " Update ComfyUI.",
          ComfyHttp.display(response.request().url()),
          promptId,
          accepted);
    }
    return new PromptAccepted(accepted, json.path("number").asDouble(-1));
  }

  /**
   * The prompt if the server knows it: queued or running (with its number), or already in history.
   */
  private static CompletionStage<Optional<PromptAccepted>> lookUp(
      ComfyHttp h, String promptId, CompletableFuture<?> until) {
    return h.exchange("GET /queue", h.get(h.url("queue")), until, r -> h.json("GET /queue", r))
        .thenCompose(
            queue -> {
              OptionalDouble queued = QueueParser.numberOf(queue, promptId);
              if (queued.isPresent()) {
                return CompletableFuture.completedFuture(
                    Optional.of(new PromptAccepted(promptId, queued.getAsDouble())));
              }
              String op = "GET /history/{id}";
              return h.exchange(op, h.get(h.url("history", promptId)), until, r -> h.json(op, r))
                  .thenApply(
                      history ->
                          HistoryParser.parse(promptId, history)
                              .map(
                                  e ->
                                      new PromptAccepted(
                                          promptId,
                                          HistoryParser.number(history, promptId).orElse(-1))));
            });
  }
}
