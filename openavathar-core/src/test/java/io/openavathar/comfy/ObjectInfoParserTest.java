package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectInfoParserTest {
  static ObjectInfo parse(String json) throws Exception {
    return ObjectInfoParser.parse(Json.mapper().readTree(json.replace('\'', '"')));
  }

  @Test
  void parse_readsBothComboEncodings_requiredAndOptional() throws Exception {
    ObjectInfo info =
        parse(
            "{"
                + "'WanVideoModelLoader': {'input': {"
                + "  'required': {'model': [['a.safetensors', 'WanVideo/b.safetensors'], {'tooltip': 't'}],"
                + "               'base_precision': [['fp32', 'bf16']], 'steps': ['INT', {'default': 6}]},"
                + "  'optional': {'lora': ['WANVIDLORA']}}},"
                + "'NewNode': {'input': {'required': {'mode': ['COMBO', {'options': ['x', 'y'], 'default': 'x'}]},"
                + "                      'optional': {'extra': ['COMBO', {'options': [1, 2]}]}}}}");

    assertThat(info.nodeClasses()).containsExactly("NewNode", "WanVideoModelLoader");
    assertThat(info.choices("WanVideoModelLoader", "model"))
        .contains(List.of("a.safetensors", "WanVideo/b.safetensors"));
    assertThat(info.choices("WanVideoModelLoader", "base_precision"))
        .contains(List.of("fp32", "bf16"));
    assertThat(info.choices("WanVideoModelLoader", "steps")).isEmpty();
    assertThat(info.choices("WanVideoModelLoader", "lora")).isEmpty();
    assertThat(info.choices("NewNode", "mode")).contains(List.of("x", "y"));
    assertThat(info.choices("NewNode", "extra")).contains(List.of("1", "2"));
    assertThat(info.choices("Unknown", "mode")).isEmpty();
  }

  @Test
  void parse_leavesOutUploadAndRemoteCombos_whichTheServerDoesNotCheckAgainstTheList()
      throws Exception {
    ObjectInfo info =
        parse(
            "{"
                + "'LoadImage': {'input': {'required': {'image': [['a.png'], {'image_upload': true}]}}},"
                + "'LoadAudio': {'input': {'required': {'audio': ['COMBO', {'audio_upload': true, 'options': ['a.wav']}]}}},"
                + "'Remote': {'input': {'required': {'m': ['COMBO', {'options': [], 'remote': {'route': '/x'}}]}}}}");

    assertThat(info.nodeClasses()).containsExactly("LoadAudio", "LoadImage", "Remote");
    assertThat(info.choices("LoadImage", "image")).isEmpty();
    assertThat(info.choices("LoadAudio", "audio")).isEmpty();
    assertThat(info.choices("Remote", "m")).isEmpty();
  }

  @Test
  void parse_toleratesShapesItDoesNotKnow_andStillCountsTheClass() throws Exception {
    ObjectInfo info =
        parse(
            "{"
                + "'A': 'not an object', 'B': {}, 'C': {'input': []}, 'D': {'input': {'required': ['x']}},"
                + "'E': {'input': {'required': {'x': 'STRING', 'y': [], 'z': ['COMBO'], 'w': ['COMBO', {'options': 'no'}],"
                + "                             'v': [[null, {'o': 1}, 'ok']]}}}}");

    assertThat(info.nodeClasses()).containsExactly("A", "B", "C", "D", "E");
    assertThat(info.choices("E", "x")).isEmpty();
    assertThat(info.choices("E", "y")).isEmpty();
    assertThat(info.choices("E", "z")).isEmpty();
    assertThat(info.choices("E", "w")).isEmpty();
    assertThat(info.choices("E", "v")).contains(List.of("ok"));
  }

  @Test
  void parse_ofSomethingElseThanAnObject_knowsNoClasses() throws Exception {
    assertThat(parse("[]").nodeClasses()).isEmpty();
    assertThat(parse("'text'").nodeClasses()).isEmpty();
  }

  @Test
  void objectInfo_isAValue() {
    ObjectInfo a =
        ObjectInfo.of(
            java.util.Set.of("A"), java.util.Map.of("A", java.util.Map.of("m", List.of("x"))));
    ObjectInfo b =
        ObjectInfo.of(
            java.util.Set.of("A"), java.util.Map.of("A", java.util.Map.of("m", List.of("x"))));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).isEqualTo("ObjectInfo{1 node classes, 1 choice lists}");
  }
}
