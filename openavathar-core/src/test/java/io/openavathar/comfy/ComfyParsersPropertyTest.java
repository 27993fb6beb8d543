package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.internal.Json;
import io.openavathar.testkit.internal.Fuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whatever ComfyUI sends, its answers are read without throwing: history, queue, system stats,
 * object info, validation errors and WebSocket events, from valid shapes with mutated fields to
 * bodies that are not JSON at all. (The client turns a body that is not JSON into an
 * OpenAvatharException before any parser sees it; a parser that threw would hand the caller a bare
 * RuntimeException.)
 */
class ComfyParsersPropertyTest {
  private static final int TRIES = 1000;
  private static final String ID = "8d1b3bd6-6b54-4a5f-9c1b-2e0f3f6f6d3a";

  private static final JsonNode HISTORY =
      Fuzz.json(
          """
      {"%s": {
        "prompt": [7, "%s", {"1": {"class_type": "LoadImage", "inputs": {"image": "a.png"}}}, {}, ["9"]],
        "outputs": {
          "9": {"gifs": [{"filename": "v_00001.mp4", "subfolder": "", "type": "output", "format": "video/h264-mp4"}]},
          "12": {"images": [{"filename": "p.png", "subfolder": "x", "type": "temp"}], "text": ["hello", 3]}},
        "status": {"status_str": "error", "completed": false, "messages": [
          ["execution_start", {"prompt_id": "%s", "timestamp": 1700000000000}],
          ["execution_cached", {"nodes": ["1"], "prompt_id": "%s", "timestamp": 1700000000001}],
          ["execution_error", {"prompt_id": "%s", "node_id": "5", "node_type": "KSampler",
            "exception_type": "RuntimeError", "exception_message": "CUDA out of memory", "timestamp": 1700000001000}],
          ["execution_success", {"prompt_id": "%s", "timestamp": 1700000002000}]]},
        "meta": {"9": {"node_id": "9"}}}}
      """
              .formatted(ID, ID, ID, ID, ID, ID));
  private static final JsonNode QUEUE =
      Fuzz.json(
          """
      {"queue_running": [[3, "%s", {"1": {}}, {"client_id": "c"}, ["9"]]],
       "queue_pending": [[5, "b", {}, {}, []], [4.5, "a", {}, {}, []], ["x", "c"]]}
      """
              .formatted(ID));
  private static final JsonNode STATS =
      Fuzz.json(
          """
      {"system": {"os": "posix", "comfyui_version": "0.3.64", "python_version": "3.12", "ram_total": 1},
       "devices": [{"name": "cuda:0 NVIDIA RTX 4090", "type": "cuda", "index": 0,
                    "vram_total": 25393692672, "vram_free": 24000000000}]}
      """);
  private static final JsonNode REJECTION =
      Fuzz.json(
          """
      {"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
                 "details": "", "extra_info": {}},
       "node_errors": {"5": {"errors": [{"type": "value_not_in_list", "message": "Value not in list",
                                         "details": "ckpt_name: 'x' not in []", "extra_info": {}}],
                             "dependent_outputs": ["9"], "class_type": "CheckpointLoaderSimple"}}}
      """);
  private static final JsonNode OBJECT_INFO =
      Fuzz.json(
          """
      {"WanVideoModelLoader": {"input": {
         "required": {"model": [["a.safetensors", "WanVideo/b.gguf"], {"tooltip": "t"}], "steps": ["INT", {"min": 1}]},
         "optional": {"lora": ["WANVIDLORA"]}}, "output": ["WANVIDEOMODEL"], "name": "WanVideoModelLoader"},
       "LoadAudio": {"input": {"required": {"audio": ["COMBO", {"audio_upload": true, "options": ["a.wav"]}]}}},
       "NewNode": {"input": {"required": {"mode": ["COMBO", {"options": ["x", 2]}]}}}}
      """);
  private static final List<JsonNode> EVENTS =
      List.of(
          Fuzz.json(
              "{\"type\": \"status\", \"data\": {\"status\": {\"exec_info\": {\"queue_remaining\": 1}}, \"sid\": \"s\"}}"),
          Fuzz.json(
              "{\"type\": \"execution_start\", \"data\": {\"prompt_id\": \"p\", \"timestamp\": 1}}"),
          Fuzz.json(
              "{\"type\": \"execution_cached\", \"data\": {\"nodes\": [\"1\", 2], \"prompt_id\": \"p\"}}"),
          Fuzz.json(
              "{\"type\": \"executing\", \"data\": {\"node\": \"5\", \"display_node\": \"5\", \"prompt_id\": \"p\"}}"),
          Fuzz.json(
              "{\"type\": \"progress\", \"data\": {\"value\": 3, \"max\": 20, \"prompt_id\": \"p\", \"node\": \"5\"}}"),
          Fuzz.json(
              "{\"type\": \"progress_state\", \"data\": {\"prompt_id\": \"p\", \"nodes\": {\"5\": {\"value\": 3.0,"
                  + " \"max\": 20.0, \"state\": \"running\", \"node_id\": \"5\", \"display_node_id\": \"5\"}}}}"),
          Fuzz.json(
              "{\"type\": \"executed\", \"data\": {\"node\": \"9\", \"output\": {\"gifs\": []}, \"prompt_id\": \"p\"}}"),
          Fuzz.json(
              "{\"type\": \"execution_success\", \"data\": {\"prompt_id\": \"p\", \"timestamp\": 1}}"),
          Fuzz.json(
              "{\"type\": \"execution_error\", \"data\": {\"prompt_id\": \"p\", \"node_id\": \"5\","
                  + " \"node_type\": \"K\", \"exception_type\": \"E\", \"exception_message\": \"m\", \"traceback\": []}}"),
          Fuzz.json(
              "{\"type\": \"execution_interrupted\", \"data\": {\"prompt_id\": \"p\", \"node_id\": \"5\"}}"),
          Fuzz.json("{\"type\": \"crystools.monitor\", \"data\": {\"cpu_utilization\": 3.5}}"));

  @Test
  void historyIsReadWithoutThrowing() {
    Fuzz.forAll(
        TRIES,
        random -> Fuzz.jsonText(random, HISTORY),
        text -> {
          JsonNode root = parsedOrNull(text);
          if (root != null) {
            HistoryParser.parse(ID, root);
            HistoryParser.parseAll(root);
            HistoryParser.number(root, ID);
          }
        });
  }

  @Test
  void theQueueIsReadWithoutThrowing() {
    Fuzz.forAll(
        TRIES,
        random -> Fuzz.jsonText(random, QUEUE),
        text -> {
          JsonNode root = parsedOrNull(text);
          if (root != null) {
            QueueParser.parse(root);
            QueueParser.numberOf(root, ID);
            QueueParser.numberOf(root, "a");
          }
        });
  }

  @Test
  void systemStatsAreReadWithoutThrowing() {
    Fuzz.forAll(
        TRIES,
        random -> Fuzz.jsonText(random, STATS),
        text -> {
          JsonNode root = parsedOrNull(text);
          if (root != null) {
            StatsParser.parse(root);
          }
        });
  }

  @Test
  void objectInfoIsReadWithoutThrowing() {
    Fuzz.forAll(
        TRIES,
        random -> Fuzz.jsonText(random, OBJECT_INFO),
        text -> {
          JsonNode root = parsedOrNull(text);
          if (root != null) {
            ObjectInfoParser.parse(root);
          }
        });
  }

  @Test
  void anyRejectionBodyBecomesAWorkflowRejectedException() {
    Fuzz.forAll(
        TRIES,
        random -> Fuzz.jsonText(random, REJECTION),
        text -> {
          assertThat(PromptErrors.rejected(400, text).getMessage())
              .startsWith("ComfyUI rejected the workflow");
          JsonNode root = parsedOrNull(text);
          if (root != null) {
            PromptErrors.hasNodeErrors(root);
            PromptErrors.rejected(root);
          }
        });
  }

  @Test
  void anyTextFrameIsDecodedOrSkippedWithoutThrowing() {
    Fuzz.forAll(
        TRIES,
        random -> Fuzz.jsonText(random, EVENTS.get(random.nextInt(EVENTS.size()))),
        ComfyEventDecoder::decode);
  }

  @Test
  void anyBinaryFrameIsDescribed() {
    Fuzz.forAll(
        200,
        random -> okio.ByteString.of(Fuzz.bytes(random, 16)),
        ComfyEventDecoder::describeBinary);
  }

  /**
   * The body as the client's JSON reader sees it, or null where the client would fail before any
   * parser runs.
   */
  private static JsonNode parsedOrNull(String text) {
    try {
      JsonNode node = Json.mapper().readTree(text);
      return node == null ? Json.mapper().missingNode() : node;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
