package io.openavathar.workflow;

import io.openavathar.workflow.GraphBuilder.Node;

/**
 * The bundled InfiniteTalk workflow: one portrait and one speech track to a lip-synced MP4 at 25
 * fps, built in code with the node classes of kijai's ComfyUI-WanVideoWrapper, KJNodes,
 * MelBandRoFormer and VideoHelperSuite (the same classes and model files the OpenAvathar RunPod
 * template installs).
 *
 * <p>Pipeline: the image is centre-cropped to the target size and CLIP-vision encoded; the audio's
 * vocals are separated (MelBandRoFormer) and embedded with wav2vec; the Wan 2.1 I2V 14B model with
 * the InfiniteTalk patch and the lightx2v step-distill LoRA samples 81-frame windows overlapping by
 * 9 frames (6 steps each); VideoHelperSuite muxes the frames with the original audio into an H.264
 * MP4, trimmed to the audio.
 */
public final class InfiniteTalkWorkflow {
  /** The default positive prompt. */
  public static final String DEFAULT_PROMPT = "a person is speaking";

  /** Node ids of the bundled graph, for users who want to patch more than the bindings. */
  public static final String IMAGE_NODE = "1";

  /** The node that loads the speech ({@code LoadAudio}). */
  public static final String AUDIO_NODE = "2";

  /** The sampler node, whose progress counts denoising steps. */
  public static final String SAMPLER_NODE = "22";

  /** The node that saves the video. */
  public static final String OUTPUT_NODE = "24";

  static final String NEGATIVE_PROMPT =
      "overexposed, bright tones, blurry details, static frame, still picture, subtitles, watermark, text, "
          + "painting, grey cast, worst quality, low quality, JPEG artifacts, ugly, deformed face, "
          + "poorly drawn face, poorly drawn hands, extra fingers, fused fingers, malformed limbs, "
          + "messy background, crowd in the background, walking backwards";

  private static final WorkflowTemplate TEMPLATE = build();

  private InfiniteTalkWorkflow() {}

  /**
   * The bundled template, bound and ready to patch.
   *
   * @return the template, immutable
   */
  public static WorkflowTemplate template() {
    return TEMPLATE;
  }

  private static WorkflowTemplate build() {
    GraphBuilder g = new GraphBuilder();
    Node image = g.node(IMAGE_NODE, "LoadImage", "Portrait").set("image", "portrait.png");
    Node audio = g.node(AUDIO_NODE, "LoadAudio", "Speech").set("audio", "speech.wav");
    Node width = g.node("3", "INTConstant", "Width").set("value", 480);
    Node height = g.node("4", "INTConstant", "Height").set("value", 832);
    Node maxFrames = g.node("5", "INTConstant", "Max frames").set("value", 1000);

    Node resize =
        g.node("6", "ImageResizeKJv2", "Crop to size")
            .link("image", image, 0)
            .link("width", width, 0)
            .link("height", height, 0)
            .set("upscale_method", "lanczos")
            .set("keep_proportion", "crop")
            .set("pad_color", "0, 0, 0")
            .set("crop_position", "center")
            .set("divisible_by", 16)
            .set("device", "cpu");
    Node size = g.node("7", "GetImageSizeAndCount", "Image size").link("image", resize, 0);

    Node clipVision =
        g.node("8", "CLIPVisionLoader", "CLIP vision")
            .set("clip_name", "clip_vision_h.safetensors");
    Node clipEmbeds =
        g.node("9", "WanVideoClipVisionEncode", "Encode portrait")
            .link("clip_vision", clipVision, 0)
            .link("image_1", size, 0)
            .set("strength_1", 1.0)
            .set("strength_2", 1.0)
            .set("crop", "center")
            .set("combine_embeds", "average")
            .set("force_offload", true)
            .set("tiles", 0)
            .set("ratio", 0.5);
    Node vae =
        g.node("10", "WanVideoVAELoader", "VAE")
            .set("model_name", "wanvideo/Wan2_1_VAE_bf16.safetensors")
            .set("precision", "bf16")
            .set("use_cpu_cache", false)
            .set("verbose", false);
    Node imageEmbeds =
        g.node("11", "WanVideoImageToVideoMultiTalk", "InfiniteTalk image embeds")
            .link("vae", vae, 0)
            .link("start_image", size, 0)
            .link("clip_embeds", clipEmbeds, 0)
            .link("width", size, 1)
            .link("height", size, 2)
            .set("frame_window_size", 81)
            .set("motion_frame", 9)
            .set("force_offload", false)
            .set("colormatch", "disabled")
            .set("tiled_vae", false)
            .set("mode", "infinitetalk")
            .set("output_path", "");

    Node separatorModel =
        g.node("12", "MelBandRoFormerModelLoader", "Vocal separation model")
            .set("model_name", "MelBandRoformer/MelBandRoformer_fp16.safetensors");
    Node vocals =
        g.node("13", "MelBandRoFormerSampler", "Separate vocals")
            .link("model", separatorModel, 0)
            .link("audio", audio, 0);
    Node wav2vec =
        g.node("14", "DownloadAndLoadWav2VecModel", "wav2vec")
            .set("model", "TencentGameMate/chinese-wav2vec2-base")
            .set("base_precision", "fp16")
            .set("load_device", "main_device");
    Node audioEmbeds =
        g.node("15", "MultiTalkWav2VecEmbeds", "Audio embeds")
            .link("wav2vec_model", wav2vec, 0)
            .link("audio_1", vocals, 0)
            .link("num_frames", maxFrames, 0)
            .set("normalize_loudness", true)
            .set("fps", 25)
            .set("audio_scale", 1.0)
            .set("audio_cfg_scale", 1.0)
            .set("multi_audio_type", "para")
            .set("add_noise_floor", false)
            .set("smooth_transients", false);
    g.node("16", "PreviewAny", "Frame count").link("source", audioEmbeds, 2);

    Node infiniteTalk =
        g.node("17", "MultiTalkModelLoader", "InfiniteTalk model")
            .set(
                "model",
                "WanVideo/InfiniteTalk/Wan2_1-InfiniteTalk-Multi_fp8_e4m3fn_scaled_KJ.safetensors");
    Node blockSwap =
        g.node("18", "WanVideoBlockSwap", "Block swap")
            .set("blocks_to_swap", 5)
            .set("offload_img_emb", false)
            .set("offload_txt_emb", false)
            .set("use_non_blocking", true)
            .set("vace_blocks_to_swap", 0)
            .set("prefetch_blocks", 1)
            .set("block_swap_debug", false);
    Node lora =
        g.node("19", "WanVideoLoraSelect", "lightx2v step distill LoRA")
            .set(
                "lora",
                "WanVideo/Lightx2v/lightx2v_I2V_14B_480p_cfg_step_distill_rank64_bf16.safetensors")
            .set("strength", 1.0)
            .set("low_mem_load", false)
            .set("merge_loras", false);
    Node model =
        g.node("20", "WanVideoModelLoader", "Wan 2.1 I2V 14B")
            .set("model", "WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors")
            .set("base_precision", "fp16")
            .set("quantization", "disabled")
            .set("load_device", "main_device")
            .set("attention_mode", "sdpa")
            .set("rms_norm_function", "default")
            .link("block_swap_args", blockSwap, 0)
            .link("lora", lora, 0)
            .link("multitalk_model", infiniteTalk, 0);
    Node text =
        g.node("21", "WanVideoTextEncodeCached", "Prompt")
            .set("model_name", "umt5-xxl-enc-bf16.safetensors")
            .set("precision", "bf16")
            .set("positive_prompt", DEFAULT_PROMPT)
            .set("negative_prompt", NEGATIVE_PROMPT)
            .set("quantization", "disabled")
            .set("use_disk_cache", false)
            .set("device", "gpu");
    Node sampler =
        g.node(SAMPLER_NODE, "WanVideoSampler", "Sampler")
            .link("model", model, 0)
            .link("image_embeds", imageEmbeds, 0)
            .link("text_embeds", text, 0)
            .link("multitalk_embeds", audioEmbeds, 0)
            .set("steps", 6)
            .set("cfg", 1.0)
            .set("shift", 11)
            .set("seed", 0)
            .set("force_offload", true)
            .set("scheduler", "dpm++_sde")
            .set("riflex_freq_index", 0)
            .set("denoise_strength", 1)
            .set("batched_cfg", false)
            .set("rope_function", "comfy")
            .set("start_step", 0)
            .set("end_step", -1)
            .set("add_noise_to_samples", true);
    Node frames =
        g.node("23", "WanVideoPassImagesFromSamples", "Frames").link("samples", sampler, 0);
    g.node(OUTPUT_NODE, "VHS_VideoCombine", "Video")
        .link("images", frames, 0)
        .link("audio", audio, 0)
        .set("frame_rate", 25)
        .set("loop_count", 0)
        .set("filename_prefix", "OpenAvathar/avatar")
        .set("format", "video/h264-mp4")
        .set("pix_fmt", "yuv420p")
        .set("crf", 19)
        .set("save_metadata", false)
        .set("trim_to_audio", true)
        .set("pingpong", false)
        .set("save_output", true);

    return WorkflowTemplate.builder()
        .graph(g.build())
        .bind(WorkflowBinding.IMAGE, IMAGE_NODE, "image")
        .bind(WorkflowBinding.AUDIO, AUDIO_NODE, "audio")
        .bind(WorkflowBinding.WIDTH, "3", "value")
        .bind(WorkflowBinding.HEIGHT, "4", "value")
        .bind(WorkflowBinding.MAX_FRAMES, "5", "value")
        .bind(WorkflowBinding.PROMPT, "21", "positive_prompt")
        .bind(WorkflowBinding.NEGATIVE_PROMPT, "21", "negative_prompt")
        .bind(WorkflowBinding.AUDIO_CFG_SCALE, "15", "audio_cfg_scale")
        .bind(WorkflowBinding.SEED, SAMPLER_NODE, "seed")
        .bind(WorkflowBinding.OUTPUT_PREFIX, OUTPUT_NODE, "filename_prefix")
        .outputNode(OUTPUT_NODE)
        .samplerNode(SAMPLER_NODE)
        .fps(25)
        .windows(81, 9)
        .build();
  }
}
