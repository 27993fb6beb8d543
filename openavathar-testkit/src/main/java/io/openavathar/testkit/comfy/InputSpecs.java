package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The choice-list inputs of the classes the simulator knows, as {@code /object_info} shows them:
 * loaders list the model files of their folders (reference §4.2), other combos their options.
 * Custom-node classes use the legacy encoding {@code [[values...], {...}]}, as kijai's packs do.
 */
final class InputSpecs {

  /** The model files of the bundled InfiniteTalk graph (reference §4.5), by folder key. */
  static final Map<String, List<String>> DEFAULT_MODELS = defaultModels();

  /** Classes of a stock ComfyUI (no custom node packs) that the simulator knows. */
  static final Set<String> CORE_CLASSES =
      NodeClasses.union(
          Set.of(
              "LoadImage",
              "LoadAudio",
              "CLIPVisionLoader",
              "PreviewAny",
              "SaveImage",
              "PreviewImage"),
          NodeClasses.CORE_STAND_IN);

  private static final Map<String, Map<String, List<String>>> FOLDERS =
      Map.of(
          "CLIPVisionLoader", Map.of("clip_name", List.of("clip_vision")),
          "WanVideoVAELoader", Map.of("model_name", List.of("vae")),
          "MelBandRoFormerModelLoader", Map.of("model_name", List.of("diffusion_models")),
          "MultiTalkModelLoader", Map.of("model", List.of("diffusion_models", "unet_gguf")),
          "WanVideoLoraSelect", Map.of("lora", List.of("loras")),
          "WanVideoModelLoader", Map.of("model", List.of("diffusion_models", "unet_gguf")),
          "WanVideoTextEncodeCached", Map.of("model_name", List.of("text_encoders")),
          "Wav2VecModelLoader", Map.of("model", List.of("wav2vec2")));

  private static final Map<String, Map<String, List<String>>> OPTIONS =
      Map.ofEntries(
          Map.entry("WanVideoVAELoader", Map.of("precision", List.of("bf16", "fp16", "fp32"))),
          Map.entry(
              "WanVideoModelLoader",
              Map.of(
                  "base_precision", List.of("fp32", "bf16", "fp16", "fp16_fast"),
                  "quantization",
                      List.of("disabled", "fp8_e4m3fn", "fp8_e4m3fn_scaled", "fp8_e5m2"),
                  "load_device", List.of("main_device", "offload_device"),
                  "attention_mode", List.of("sdpa", "flash_attn_2", "flash_attn_3", "sageattn"),
                  "rms_norm_function", List.of("default", "pytorch"))),
          Map.entry(
              "WanVideoTextEncodeCached",
              Map.of(
                  "precision", List.of("fp32", "bf16"),
                  "quantization", List.of("disabled", "fp8_e4m3fn"),
                  "device", List.of("gpu", "cpu"))),
          Map.entry(
              "DownloadAndLoadWav2VecModel",
              Map.of(
                  "model",
                      List.of(
                          "TencentGameMate/chinese-wav2vec2-base", "facebook/wav2vec2-base-960h"),
                  "base_precision", List.of("fp32", "bf16", "fp16"),
                  "load_device", List.of("main_device", "offload_device"))),
          Map.entry(
              "ImageResizeKJv2",
              Map.of(
                  "upscale_method",
                      List.of("nearest-exact", "bilinear", "area", "bicubic", "lanczos"),
                  "keep_proportion", List.of("stretch", "resize", "pad", "pad_edge", "crop"),
                  "crop_position", List.of("center", "top", "bottom", "left", "right"),
                  "device", List.of("cpu", "gpu"))),
          Map.entry(
              "WanVideoClipVisionEncode",
              Map.of(
                  "crop", List.of("center", "disabled"),
                  "combine_embeds", List.of("average", "sum", "concat", "batch"))),
          Map.entry(
              "WanVideoImageToVideoMultiTalk",
              Map.of(
                  "colormatch",
                      List.of(
                          "disabled", "mkl", "hm", "reinhard", "mvgd", "hm-mvgd-hm", "hm-mkl-hm"),
                  "mode", List.of("auto", "multitalk", "infinitetalk"))),
          Map.entry("MultiTalkWav2VecEmbeds", Map.of("multi_audio_type", List.of("para", "add"))),
          Map.entry(
              "WanVideoSampler",
              Map.of(
                  "scheduler", List.of("unipc", "dpm++", "dpm++_sde", "euler", "lcm"),
                  "rope_function", List.of("default", "comfy", "comfy_chunked"))),
          Map.entry(
              "VHS_VideoCombine",
              Map.of(
                  "format",
                  List.of(
                      "image/gif",
                      "image/webp",
                      "video/h264-mp4",
                      "video/h265-mp4",
                      "video/webm"))));

  private InputSpecs() {}

  /** Adds the combo inputs of {@code classType} to {@code required} and {@code order}. */
  static void addCombos(
      String classType, Map<String, List<String>> models, ObjectNode required, ArrayNode order) {
    Map<String, List<String>> combos = new TreeMap<>(OPTIONS.getOrDefault(classType, Map.of()));
    FOLDERS
        .getOrDefault(classType, Map.of())
        .forEach(
            (input, folders) -> {
              List<String> files = new ArrayList<>();
              folders.forEach(folder -> files.addAll(models.getOrDefault(folder, List.of())));
              combos.put(input, files);
            });
    combos.forEach(
        (input, values) -> {
          ArrayNode spec = required.putArray(input);
          ArrayNode list = spec.addArray();
          values.forEach(list::add);
          spec.addObject();
          order.add(input);
        });
  }

  private static Map<String, List<String>> defaultModels() {
    Map<String, List<String>> models = new LinkedHashMap<>();
    models.put(
        "diffusion_models",
        List.of(
            "MelBandRoformer/MelBandRoformer_fp16.safetensors",
            "WanVideo/InfiniteTalk/Wan2_1-InfiniteTalk-Multi_fp8_e4m3fn_scaled_KJ.safetensors",
            "WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors"));
    models.put(
        "loras",
        List.of(
            "WanVideo/Lightx2v/lightx2v_I2V_14B_480p_cfg_step_distill_rank64_bf16.safetensors"));
    models.put("vae", List.of("wanvideo/Wan2_1_VAE_bf16.safetensors"));
    models.put("clip_vision", List.of("clip_vision_h.safetensors"));
    models.put("text_encoders", List.of("umt5-xxl-enc-bf16.safetensors"));
    models.put("wav2vec2", List.of("wav2vec2-chinese-base_fp16.safetensors"));
    models.put("checkpoints", List.of());
    models.put("unet_gguf", List.of());
    models.put("transformers", List.of());
    return Map.copyOf(models);
  }
}
