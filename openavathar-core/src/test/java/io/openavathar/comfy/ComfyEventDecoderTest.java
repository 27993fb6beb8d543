package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComfyEventDecoderTest {
  private static final String ID = "5f0c7e0e-3c4b-4a6e-9d57-1b8f6c1e2a10";

  private static ComfyEvent decode(String json) {
    Optional<ComfyEvent> event = ComfyEventDecoder.decode(json.replace('\'', '"'));
    assertThat(event).as("decoded %s", json).isPresent();
    return event.get();
  }

  @Test
  void decode_statusOnConnect_hasSid() {
    ComfyEvent event =
        decode(
            "{'type':'status','data':{'status':{'exec_info':{'queue_remaining':0}},'sid':'java-7d1c'}}");

    assertThat(event).isEqualTo(new ComfyEvent.Status(0, Optional.of("java-7d1c")));
    assertThat(event.promptId()).isEmpty();
  }

  @Test
  void decode_statusBroadcast_hasNoSid() {
    assertThat(decode("{'type':'status','data':{'status':{'exec_info':{'queue_remaining':3}}}}"))
        .isEqualTo(new ComfyEvent.Status(3, Optional.empty()));
  }

  @Test
  void decode_executionStart() {
    assertThat(
            decode(
                "{'type':'execution_start','data':{'prompt_id':'"
                    + ID
                    + "','timestamp':1760000000000}}"))
        .isEqualTo(new ComfyEvent.ExecutionStart(ID));
  }

  @Test
  void decode_executionCached_listsNodes() {
    ComfyEvent event =
        decode(
            "{'type':'execution_cached','data':{'nodes':['120','129'],'prompt_id':'"
                + ID
                + "','timestamp':1760000000005}}");

    assertThat(event).isEqualTo(new ComfyEvent.ExecutionCached(ID, List.of("120", "129")));
  }

  @Test
  void decode_executionCachedOnColdServer_hasNoNodes() {
    assertThat(decode("{'type':'execution_cached','data':{'nodes':[],'prompt_id':'" + ID + "'}}"))
        .isEqualTo(new ComfyEvent.ExecutionCached(ID, List.of()));
  }

  @Test
  void decode_executingNode_isNotDone() {
    ComfyEvent.Executing event =
        (ComfyEvent.Executing)
            decode(
                "{'type':'executing','data':{'node':'128','display_node':'128','prompt_id':'"
                    + ID
                    + "'}}");

    assertThat(event).isEqualTo(new ComfyEvent.Executing(Optional.of(ID), Optional.of("128")));
    assertThat(event.isPromptDone()).isFalse();
  }

  @Test
  void decode_executingNullNode_isPromptDone() {
    ComfyEvent.Executing event =
        (ComfyEvent.Executing)
            decode("{'type':'executing','data':{'node':null,'prompt_id':'" + ID + "'}}");

    assertThat(event.isPromptDone()).isTrue();
    assertThat(event.promptId()).contains(ID);
  }

  @Test
  void decode_reconnectHint_hasNodeButNoPromptId() {
    ComfyEvent.Executing event =
        (ComfyEvent.Executing) decode("{'type':'executing','data':{'node':'128'}}");

    assertThat(event).isEqualTo(new ComfyEvent.Executing(Optional.empty(), Optional.of("128")));
    assertThat(event.isPromptDone()).isFalse();
  }

  @Test
  void decode_progress() {
    assertThat(
            decode(
                "{'type':'progress','data':{'value':1,'max':24,'prompt_id':'"
                    + ID
                    + "','node':'128'}}"))
        .isEqualTo(new ComfyEvent.Progress(Optional.of(ID), "128", 1, 24));
  }

  @Test
  void decode_progressWithFloatsAndNumericNode_isConverted() {
    assertThat(
            decode(
                "{'type':'progress','data':{'value':12.0,'max':297.0,'prompt_id':'"
                    + ID
                    + "','node':317}}"))
        .isEqualTo(new ComfyEvent.Progress(Optional.of(ID), "317", 12, 297));
  }

  @Test
  void decode_executedWithGifs_keepsOutput() {
    ComfyEvent.Executed event =
        (ComfyEvent.Executed)
            decode(
                "{'type':'executed','data':{'node':'317','display_node':'317','prompt_id':'"
                    + ID
                    + "',"
                    + "'output':{'gifs':[{'filename':'InfiniteTalk_00001-audio.mp4','subfolder':'InfiniteTalk',"
                    + "'type':'output','format':'video/h264-mp4','frame_rate':25}]}}}");

    assertThat(event.id()).isEqualTo(ID);
    assertThat(event.node()).isEqualTo("317");
    assertThat(event.output().path("gifs").get(0).path("filename").asText())
        .isEqualTo("InfiniteTalk_00001-audio.mp4");
  }

  @Test
  void decode_executedCachedWithNullOutput_keepsJsonNull() {
    ComfyEvent.Executed event =
        (ComfyEvent.Executed)
            decode(
                "{'type':'executed','data':{'node':'293','output':null,'prompt_id':'" + ID + "'}}");

    assertThat(event.output().isNull()).isTrue();
  }

  @Test
  void decode_executionSuccess() {
    assertThat(
            decode(
                "{'type':'execution_success','data':{'prompt_id':'"
                    + ID
                    + "','timestamp':1760000420000}}"))
        .isEqualTo(new ComfyEvent.ExecutionSuccess(ID));
  }

  @Test
  void decode_executionErrorOom_keepsDetails() {
    ComfyEvent event =
        decode(
            "{'type':'execution_error','data':{'prompt_id':'"
                + ID
                + "','node_id':'128',"
                + "'node_type':'WanVideoSampler','executed':['120','129'],"
                + "'exception_message':'Allocation on device 0 would exceed allowed memory.',"
                + "'exception_type':'torch.OutOfMemoryError','traceback':['  File ...'],"
                + "'current_inputs':{},'current_outputs':[],'timestamp':1760000100000}}");

    assertThat(event)
        .isEqualTo(
            new ComfyEvent.ExecutionError(
                ID,
                "128",
                "WanVideoSampler",
                "torch.OutOfMemoryError",
                "Allocation on device 0 would exceed allowed memory."));
  }

  @Test
  void decode_executionInterrupted() {
    assertThat(
            decode(
                "{'type':'execution_interrupted','data':{'prompt_id':'"
                    + ID
                    + "','node_id':'128',"
                    + "'node_type':'WanVideoSampler','executed':[],'timestamp':1760000200000}}"))
        .isEqualTo(new ComfyEvent.ExecutionInterrupted(ID, Optional.of("128")));
  }

  /**
   * The shape seen on a real ComfyUI 0.3.64 (floats, ids of the UI's node, unknown fields such as
   * timestamps).
   */
  @Test
  void decode_progressState_keepsEveryNodesValueMaxAndState() {
    ComfyEvent event =
        decode(
            "{'type':'progress_state','data':{'prompt_id':'"
                + ID
                + "','nodes':{"
                + "'1':{'value':1.0,'max':1.0,'state':'finished','node_id':'1','prompt_id':'"
                + ID
                + "',"
                + "'display_node_id':'1','parent_node_id':null,'real_node_id':'1'},"
                + "'4':{'value':3,'max':10,'state':'running','node_id':'4','display_node_id':'4','extra':{'a':[1]}},"
                + "'5:2':{'value':0,'max':1,'state':'pending','display_node_id':5},"
                + "'6':{'value':0,'max':1,'state':'error'},"
                + "'7':{'value':0,'max':1,'state':'paused'}},'timestamp':1760000000000}}");

    assertThat(event)
        .isEqualTo(
            new ComfyEvent.ProgressState(
                ID,
                orderedMap(
                    "1",
                        new ComfyEvent.NodeProgress(
                            1, 1, ComfyEvent.NodeState.FINISHED, Optional.of("1")),
                    "4",
                        new ComfyEvent.NodeProgress(
                            3, 10, ComfyEvent.NodeState.RUNNING, Optional.of("4")),
                    "5:2",
                        new ComfyEvent.NodeProgress(
                            0, 1, ComfyEvent.NodeState.PENDING, Optional.of("5")),
                    "6",
                        new ComfyEvent.NodeProgress(
                            0, 1, ComfyEvent.NodeState.ERROR, Optional.empty()),
                    "7",
                        new ComfyEvent.NodeProgress(
                            0, 1, ComfyEvent.NodeState.OTHER, Optional.empty()))));
    assertThat(event.promptId()).contains(ID);
    assertThat(((ComfyEvent.ProgressState) event).nodes().keySet())
        .containsExactly("1", "4", "5:2", "6", "7");
  }

  @Test
  void decode_progressState_leavesOutEntriesItCannotRead() {
    ComfyEvent event =
        decode(
            "{'type':'progress_state','data':{'prompt_id':'"
                + ID
                + "','nodes':{"
                + "'1':{'value':'one','max':1,'state':'running'},'2':{'max':1},'3':null,'4':[1,2],"
                + "'5':{'value':2,'max':4}}}}");

    assertThat(event)
        .isEqualTo(
            new ComfyEvent.ProgressState(
                ID,
                Map.of(
                    "5",
                    new ComfyEvent.NodeProgress(
                        2, 4, ComfyEvent.NodeState.OTHER, Optional.empty()))));
  }

  @Test
  void decode_progressState_withNoNodes_isEmpty() {
    assertThat(decode("{'type':'progress_state','data':{'prompt_id':'" + ID + "','nodes':{}}}"))
        .isEqualTo(new ComfyEvent.ProgressState(ID, Map.of()));
  }

  private static Map<String, ComfyEvent.NodeProgress> orderedMap(Object... keysAndValues) {
    Map<String, ComfyEvent.NodeProgress> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (ComfyEvent.NodeProgress) keysAndValues[i + 1]);
    }
    return map;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'type':'VHS_latentpreview','data':{'length':81,'rate':16,'id':'128'}}",
        "{'type':'feature_flags','data':{'supports_preview_metadata':true,'max_upload_size':104857600}}",
        "{'type':'crystools.monitor','data':{'cpu_utilization':12.5}}",
        "{'type':'some_custom_event'}"
      })
  void decode_otherTypes_areUnknown(String json) {
    ComfyEvent event = decode(json);

    assertThat(event).isInstanceOf(ComfyEvent.Unknown.class);
    assertThat(event.promptId()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{\"type\":",
        "[1,2,3]",
        "\"status\"",
        "{\"data\":{}}",
        "{\"type\":42,\"data\":{}}",
        "{\"type\":\"status\",\"data\":{}}",
        "{\"type\":\"status\"}",
        "{\"type\":\"execution_start\",\"data\":{\"timestamp\":1}}",
        "{\"type\":\"executed\",\"data\":{\"prompt_id\":\"p\"}}",
        "{\"type\":\"progress\",\"data\":{\"value\":\"one\",\"max\":24,\"node\":\"128\"}}",
        "{\"type\":\"progress\",\"data\":{\"value\":1,\"max\":24}}",
        "{\"type\":\"execution_error\",\"data\":{\"node_id\":\"128\"}}",
        "{\"type\":\"execution_cached\",\"data\":{\"prompt_id\":\"p\",\"nodes\":\"120\"}}",
        "{\"type\":\"progress_state\",\"data\":{\"nodes\":{}}}",
        "{\"type\":\"progress_state\",\"data\":{\"prompt_id\":\"p\"}}",
        "{\"type\":\"progress_state\",\"data\":{\"prompt_id\":\"p\",\"nodes\":[]}}",
        "{\"type\":\"progress_state\",\"data\":[]}"
      })
  void decode_malformedOrIncomplete_isSkippedWithoutThrowing(String text) {
    assertThat(ComfyEventDecoder.decode(text)).isEmpty();
  }

  @Test
  void executionError_withoutDescriptiveFields_keepsTheError() {
    Optional<ComfyEvent> event =
        ComfyEventDecoder.decode("{\"type\":\"execution_error\",\"data\":{\"prompt_id\":\"p\"}}");

    assertThat(event).contains(new ComfyEvent.ExecutionError("p", "", "", "", ""));
  }

  @Test
  void describeBinary_handlesShortAndTypedFrames() {
    assertThat(ComfyEventDecoder.describeBinary(ByteString.EMPTY)).contains("0 bytes");
    assertThat(ComfyEventDecoder.describeBinary(ByteString.of((byte) 0, (byte) 0)))
        .contains("2 bytes");
    assertThat(
            ComfyEventDecoder.describeBinary(
                ByteString.of((byte) 0, (byte) 0, (byte) 0, (byte) 4, (byte) 9)))
        .contains("event type 4");
  }
}
