package io.openavathar.internal.job;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which custom node pack provides a node class, for the classes InfiniteTalk workflows use
 * (reference §4.1) and the naming habits of their packs. A class not covered here is reported as
 * needing "a custom node pack that provides" it.
 */
final class NodePacks {
  /** A known pack: its name, where to get it, and how to recognise its classes. */
  record Pack(
      String name,
      String repository,
      Set<String> classes,
      List<String> prefixes,
      List<String> suffixes) {
    boolean provides(String classType) {
      return classes.contains(classType)
          || prefixes.stream().anyMatch(classType::startsWith)
          || suffixes.stream().anyMatch(classType::endsWith);
    }
  }

  static final Pack WAN_VIDEO_WRAPPER =
      new Pack(
          "ComfyUI-WanVideoWrapper",
          "https://github.com/kijai/ComfyUI-WanVideoWrapper",
          Set.of("DownloadAndLoadWav2VecModel", "Wav2VecModelLoader", "CreateCFGScheduleFloatList"),
          List.of(
              "WanVideo",
              "MultiTalk",
              "InfiniteTalk",
              "FantasyTalking",
              "FantasyPortrait",
              "LoadWanVideo"),
          List.of());
  static final Pack KJ_NODES =
      new Pack(
          "ComfyUI-KJNodes",
          "https://github.com/kijai/ComfyUI-KJNodes",
          Set.of(
              "INTConstant",
              "FloatConstant",
              "StringConstant",
              "StringConstantMultiline",
              "BOOLConstant",
              "GetImageSizeAndCount",
              "GetImageRangeFromBatch",
              "ImageConcanate",
              "ImageConcatMulti",
              "ImageBatchMulti",
              "ColorMatch",
              "SetNode",
              "GetNode",
              "ConditioningMultiCombine",
              "ImagePadForOutpaintMasked",
              "ResizeMask",
              "GrowMaskWithBlur",
              "WidgetToString",
              "SomethingToString",
              "CreateShapeMask"),
          List.of(),
          List.of("KJ", "KJv2"));
  static final Pack MEL_BAND_ROFORMER =
      new Pack(
          "ComfyUI-MelBandRoFormer",
          "https://github.com/kijai/ComfyUI-MelBandRoFormer",
          Set.of(),
          List.of("MelBandRoFormer"),
          List.of());
  static final Pack VIDEO_HELPER_SUITE =
      new Pack(
          "ComfyUI-VideoHelperSuite",
          "https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite",
          Set.of(),
          List.of("VHS_"),
          List.of());

  private static final List<Pack> ALL =
      List.of(WAN_VIDEO_WRAPPER, KJ_NODES, MEL_BAND_ROFORMER, VIDEO_HELPER_SUITE);

  private NodePacks() {}

  /** The pack that provides {@code classType}, if it is one of the known ones. */
  static Optional<Pack> packFor(String classType) {
    return ALL.stream().filter(p -> p.provides(classType)).findFirst();
  }
}
