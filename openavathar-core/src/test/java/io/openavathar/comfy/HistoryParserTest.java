package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.internal.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Output files in history: core SaveVideo ({@code images} + {@code animated}), VHS ({@code gifs}),
 * previews.
 */
class HistoryParserTest {
  private static HistoryEntry parse(String outputs) throws IOException {
    JsonNode root =
        Json.mapper()
            .readTree(
                "{\"p\": {\"outputs\": "
                    + outputs
                    + ", \"status\": {\"status_str\": \"success\", \"completed\": true, \"messages\": []}}}");
    return HistoryParser.parse("p", root).orElseThrow();
  }

  @Test
  void saveVideo_asARealComfyUi0364ReportsIt() throws IOException {
    HistoryEntry entry =
        parse(
            "{\"6\": {\"images\": [{\"filename\": \"run_00001_.mp4\", \"subfolder\":"
                + " \"cmp-real\", \"type\": \"output\"}], \"animated\": [true]}}");

    assertThat(entry.files())
        .containsEntry("6", List.of(new OutputFile("run_00001_.mp4", "cmp-real", "output")));
    assertThat(entry.videoFile("6"))
        .contains(new OutputFile("run_00001_.mp4", "cmp-real", "output"));
  }

  @Test
  void vhs_listsItsMp4UnderGifs() throws IOException {
    HistoryEntry entry =
        parse(
            "{\"317\": {\"gifs\": [{\"filename\": \"InfiniteTalk_00001-audio.mp4\","
                + " \"subfolder\": \"InfiniteTalk\", \"type\": \"output\", \"format\": \"video/h264-mp4\","
                + " \"frame_rate\": 25, \"workflow\": \"InfiniteTalk_00001.png\"}]}, \"293\": {\"text\": [\"250\"]}}");

    assertThat(entry.videoFile("317"))
        .contains(new OutputFile("InfiniteTalk_00001-audio.mp4", "InfiniteTalk", "output"));
    assertThat(entry.texts()).containsEntry("293", List.of("250"));
  }

  @Test
  void theMp4IsPreferredOverPreviewImages_evenOfTheNamedNodeOrWithoutOne() throws IOException {
    HistoryEntry entry =
        parse(
            "{\"3\": {\"images\": [{\"filename\": \"ComfyUI_temp_00001_.png\", \"subfolder\":"
                + " \"\", \"type\": \"temp\"}]}, \"10\": {\"images\": [{\"filename\": \"frame_00001_.png\", \"subfolder\":"
                + " \"\", \"type\": \"output\"}, {\"filename\": \"clip_00001_.mp4\", \"subfolder\": \"\", \"type\":"
                + " \"output\"}], \"animated\": [true]}}");

    OutputFile mp4 = new OutputFile("clip_00001_.mp4", "", "output");
    assertThat(entry.videoFile("10")).contains(mp4);
    assertThat(entry.videoFile("3")).contains(mp4);
    assertThat(entry.videoFile("")).contains(mp4);
  }

  private static HistoryEntry withMessages(String messages) throws IOException {
    JsonNode root =
        Json.mapper()
            .readTree(
                "{\"p\": {\"outputs\": {}, \"status\": {\"status_str\": \"success\","
                    + " \"completed\": true, \"messages\": "
                    + messages
                    + "}}}");
    return HistoryParser.parse("p", root).orElseThrow();
  }

  @Test
  void
      executionSeconds_isWhatTheServerRecorded_fromExecutionStartToItsEnd_emptyWithoutBothOrOutOfOrder()
          throws IOException {
    HistoryEntry timed =
        withMessages(
            "[[\"execution_start\", {\"prompt_id\": \"p\", \"timestamp\": 1760000000000}],"
                + " [\"execution_cached\", {\"nodes\": [], \"prompt_id\": \"p\", \"timestamp\": 1760000000005}],"
                + " [\"execution_success\", {\"prompt_id\": \"p\", \"timestamp\": 1760000182450}]]");
    HistoryEntry old = withMessages("[]");
    HistoryEntry backwards =
        withMessages(
            "[[\"execution_start\", {\"timestamp\": 1760000000000}],"
                + " [\"execution_success\", {\"timestamp\": 1759999999000}]]");

    assertThat(timed.executionSeconds()).hasValue(182.45);
    assertThat(old.executionSeconds()).isEmpty();
    assertThat(backwards.executionSeconds()).isEmpty();
  }

  @Test
  void withoutAnyVideo_theFirstFileOfTheNamedNodeIsTaken() throws IOException {
    HistoryEntry entry =
        parse(
            "{\"9\": {\"images\": [{\"filename\": \"a_00001_.png\", \"subfolder\": \"\","
                + " \"type\": \"output\"}]}}");

    assertThat(entry.videoFile("9")).contains(new OutputFile("a_00001_.png", "", "output"));
  }
}
