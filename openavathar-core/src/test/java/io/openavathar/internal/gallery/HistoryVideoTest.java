package io.openavathar.internal.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.comfy.HistoryEntry;
import io.openavathar.comfy.HistoryEntry.Outcome;
import io.openavathar.comfy.OutputFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an imported video learns from its history entry when the entry has no graph (older servers,
 * other apps).
 */
class HistoryVideoTest {

  @Test
  void of_prefersTheVideoWithAudio_andIgnoresImages() {
    HistoryEntry entry =
        new HistoryEntry(
            "p",
            Outcome.SUCCESS,
            Map.of(
                "9", List.of(new OutputFile("frame.png", "", "output")),
                "24",
                    List.of(
                        new OutputFile("avatar_00001.mp4", "x", "output"),
                        new OutputFile("avatar_00001-audio.mp4", "x", "output"))),
            Map.of(),
            null);

    HistoryVideo video = HistoryVideo.of(entry).orElseThrow();

    assertThat(video.file().filename()).isEqualTo("avatar_00001-audio.mp4");
    assertThat(video.seed()).isZero();
    assertThat(video.width()).isZero();
    assertThat(video.frames()).isZero();
  }

  @Test
  void of_findsCoreSaveVideosMp4AmongItsImages() {
    HistoryEntry entry =
        new HistoryEntry(
            "p",
            Outcome.SUCCESS,
            Map.of(
                "5", List.of(new OutputFile("ComfyUI_temp_00001_.png", "", "temp")),
                "6", List.of(new OutputFile("ComfyUI_00001_.mp4", "standin", "output"))),
            Map.of(),
            null);

    assertThat(HistoryVideo.of(entry).orElseThrow().file())
        .isEqualTo(new OutputFile("ComfyUI_00001_.mp4", "standin", "output"));
  }

  @Test
  void of_whenOnlyImages_isEmpty() {
    HistoryEntry entry =
        new HistoryEntry(
            "p",
            Outcome.SUCCESS,
            Map.of("9", List.of(new OutputFile("frame.png", "", "output"))),
            Map.of(),
            null);

    assertThat(HistoryVideo.of(entry)).isEmpty();
  }

  @Test
  void localName_addsThePromptIdOnlyWhenTheNameLacksIt() {
    assertThat(VideoImport.localName("4be599a6-eeaf", "ComfyUI_00001.mp4"))
        .isEqualTo("imported-4be599a6-ComfyUI_00001.mp4");
    assertThat(VideoImport.localName("4be599a6-eeaf", "4be599a6-eeaf_00001-audio.mp4"))
        .isEqualTo("imported-4be599a6-eeaf_00001-audio.mp4");
  }

  @Test
  void localName_keepsOnlySafeCharacters() {
    assertThat(VideoImport.localName("5f0c7e0e-3c4b-4a6e", "../../etc/pass wd.mp4"))
        .startsWith("imported-5f0c7e0e-")
        .endsWith("etc_pass_wd.mp4")
        .doesNotContain("/", "..", " ");
  }
}
