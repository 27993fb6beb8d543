package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodePacksTest {
  /**
   * Every custom class of the reference workflow
   * (shared/reference/data/infinitetalk-openavathar-api.json).
   */
  @Test
  void packFor_mapsEveryCustomClassOfTheReferenceWorkflow() {
    for (String c :
        List.of(
            "MultiTalkModelLoader",
            "WanVideoModelLoader",
            "WanVideoBlockSwap",
            "WanVideoLoraSelect",
            "WanVideoVAELoader",
            "WanVideoTextEncodeCached",
            "WanVideoClipVisionEncode",
            "DownloadAndLoadWav2VecModel",
            "Wav2VecModelLoader",
            "MultiTalkWav2VecEmbeds",
            "WanVideoImageToVideoMultiTalk",
            "WanVideoSampler",
            "WanVideoPassImagesFromSamples")) {
      assertThat(NodePacks.packFor(c)).as(c).contains(NodePacks.WAN_VIDEO_WRAPPER);
    }
    for (String c : List.of("INTConstant", "ImageResizeKJv2", "GetImageSizeAndCount")) {
      assertThat(NodePacks.packFor(c)).as(c).contains(NodePacks.KJ_NODES);
    }
    for (String c : List.of("MelBandRoFormerModelLoader", "MelBandRoFormerSampler")) {
      assertThat(NodePacks.packFor(c)).as(c).contains(NodePacks.MEL_BAND_ROFORMER);
    }
    assertThat(NodePacks.packFor("VHS_VideoCombine")).contains(NodePacks.VIDEO_HELPER_SUITE);
  }

  @Test
  void packFor_knowsNoPackForCoreOrUnknownClasses() {
    for (String c :
        List.of("LoadImage", "LoadAudio", "CLIPVisionLoader", "PreviewAny", "SomeoneElsesNode")) {
      assertThat(NodePacks.packFor(c)).as(c).isEmpty();
    }
  }
}
