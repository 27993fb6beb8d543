package io.openavathar.testkit.comfy;

import java.util.Set;

/** Node class names the simulator knows about. */
final class NodeClasses {

  /**
   * The ComfyUI core classes of the stand-in workflow ({@link StandInWorkflow}; LoadImage,
   * LoadAudio and PreviewAny are in {@link #DEFAULT_INSTALLED} anyway).
   */
  static final Set<String> CORE_STAND_IN =
      Set.of(
          "ImageScale",
          "RepeatImageBatch",
          "ImageBlur",
          "CreateVideo",
          "SaveVideo",
          "PrimitiveStringMultiline",
          "PrimitiveInt");

  /** The InfiniteTalk workflow's classes (reference §4.1) plus core SaveImage and PreviewImage. */
  static final Set<String> INFINITE_TALK =
      Set.of(
          "LoadImage",
          "LoadAudio",
          "CLIPVisionLoader",
          "PreviewAny",
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
          "WanVideoPassImagesFromSamples",
          "INTConstant",
          "ImageResizeKJv2",
          "GetImageSizeAndCount",
          "MelBandRoFormerModelLoader",
          "MelBandRoFormerSampler",
          "VHS_VideoCombine",
          "SaveImage",
          "PreviewImage");

  /**
   * Installed unless the builder says otherwise: the InfiniteTalk classes and the stand-in's core
   * classes.
   */
  static final Set<String> DEFAULT_INSTALLED = union(INFINITE_TALK, CORE_STAND_IN);

  /** Classes with {@code OUTPUT_NODE = True}. */
  static final Set<String> OUTPUTS =
      Set.of(
          "VHS_VideoCombine",
          "PreviewAny",
          "SaveImage",
          "PreviewImage",
          "SaveVideo",
          "SaveWEBM",
          "SaveAnimatedWEBP",
          "SaveAnimatedPNG",
          "SaveAudio",
          "PreviewAudio");

  static final String LOAD_IMAGE = "LoadImage";
  static final String LOAD_AUDIO = "LoadAudio";
  static final String EMBEDS = "MultiTalkWav2VecEmbeds";
  static final String IMAGE_TO_VIDEO = "WanVideoImageToVideoMultiTalk";
  static final String SAMPLER = "WanVideoSampler";
  static final String RESIZE = "ImageResizeKJv2";
  static final String SIZE_AND_COUNT = "GetImageSizeAndCount";
  static final String PREVIEW_ANY = "PreviewAny";
  static final String VIDEO_COMBINE = "VHS_VideoCombine";
  static final String SAVE_IMAGE = "SaveImage";
  static final String PREVIEW_IMAGE = "PreviewImage";
  static final String SAVE_VIDEO = "SaveVideo";
  static final String IMAGE_SCALE = "ImageScale";

  /**
   * Whether nodes of {@code classType} are output nodes ({@code OUTPUT_NODE = True}): the known
   * ones, and for classes the simulator was told about by name only, those named {@code Save...} or
   * {@code Preview...} (as core ComfyUI's are) or {@code ...VideoCombine}.
   */
  static boolean isOutput(String classType) {
    return classType != null
        && (OUTPUTS.contains(classType)
            || classType.startsWith("Save")
            || classType.startsWith("Preview")
            || classType.endsWith("VideoCombine"));
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  private NodeClasses() {}
}
