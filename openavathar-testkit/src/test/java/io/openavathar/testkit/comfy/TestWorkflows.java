package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Test fixtures: an InfiniteTalk-shaped API graph (same ids, classes and links as the reference),
 * and media.
 */
final class TestWorkflows {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Stand-ins for the bundled sample MP4s (distinct bytes, 300 kB and 200 kB). */
  static final Path PORTRAIT_VIDEO;

  static final Path LANDSCAPE_VIDEO;

  static {
    try {
      Path dir = Files.createTempDirectory("comfyui-simulator-test-videos");
      PORTRAIT_VIDEO = Files.write(dir.resolve("portrait.mp4"), video(300_000, 1));
      LANDSCAPE_VIDEO = Files.write(dir.resolve("landscape.mp4"), video(200_000, 2));
      dir.toFile().deleteOnExit();
      PORTRAIT_VIDEO.toFile().deleteOnExit();
      LANDSCAPE_VIDEO.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A builder that returns the stand-in videos and does not wait between steps. */
  static ComfyUiSimulatorBuilder builder() {
    return ComfyUiSimulator.builder()
        .sampleVideos(PORTRAIT_VIDEO, LANDSCAPE_VIDEO)
        .stepDelay(Duration.ZERO);
  }

  private TestWorkflows() {}

  /**
   * The 25-node graph: image 313, audio 125, width 245, height 246, max frames 270, sampler 128,
   * VHS 317.
   */
  static ObjectNode infiniteTalk(String image, String audio) {
    ObjectNode g = JSON.createObjectNode();
    node(g, "120", "MultiTalkModelLoader").put("model", "WanVideo/InfiniteTalk/model.safetensors");
    ObjectNode model = node(g, "122", "WanVideoModelLoader");
    model.put("model", "WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors");
    link(model, "block_swap_args", "134", 0);
    link(model, "lora", "138", 0);
    link(model, "multitalk_model", "120", 0);
    ObjectNode loadAudio = node(g, "125", "LoadAudio");
    loadAudio.put("audio", audio);
    loadAudio.put("audioUI", "");
    ObjectNode sampler = node(g, "128", "WanVideoSampler");
    sampler.put("steps", 6);
    sampler.put("seed", 2);
    link(sampler, "model", "122", 0);
    link(sampler, "image_embeds", "192", 0);
    link(sampler, "text_embeds", "241", 0);
    link(sampler, "multitalk_embeds", "194", 0);
    node(g, "129", "WanVideoVAELoader").put("model_name", "wanvideo/Wan2_1_VAE_bf16.safetensors");
    node(g, "134", "WanVideoBlockSwap").put("blocks_to_swap", 5);
    node(g, "137", "DownloadAndLoadWav2VecModel")
        .put("model", "TencentGameMate/chinese-wav2vec2-base");
    node(g, "138", "WanVideoLoraSelect").put("lora", "WanVideo/Lightx2v/lora.safetensors");
    ObjectNode i2v = node(g, "192", "WanVideoImageToVideoMultiTalk");
    link(i2v, "width", "291", 1);
    link(i2v, "height", "291", 2);
    i2v.put("frame_window_size", 81);
    i2v.put("motion_frame", 9);
    link(i2v, "vae", "129", 0);
    link(i2v, "start_image", "291", 0);
    link(i2v, "clip_embeds", "237", 0);
    ObjectNode embeds = node(g, "194", "MultiTalkWav2VecEmbeds");
    embeds.put("fps", 25);
    embeds.put("audio_cfg_scale", 1);
    link(embeds, "num_frames", "270", 0);
    link(embeds, "wav2vec_model", "137", 0);
    link(embeds, "audio_1", "302", 0);
    ObjectNode clip = node(g, "237", "WanVideoClipVisionEncode");
    link(clip, "clip_vision", "238", 0);
    link(clip, "image_1", "291", 0);
    node(g, "238", "CLIPVisionLoader").put("clip_name", "clip_vision_h.safetensors");
    node(g, "241", "WanVideoTextEncodeCached").put("positive_prompt", "a person is speaking");
    node(g, "245", "INTConstant").put("value", 480);
    node(g, "246", "INTConstant").put("value", 832);
    node(g, "270", "INTConstant").put("value", 1000);
    ObjectNode resize = node(g, "281", "ImageResizeKJv2");
    link(resize, "width", "245", 0);
    link(resize, "height", "246", 0);
    link(resize, "image", "313", 0);
    link(node(g, "291", "GetImageSizeAndCount"), "image", "281", 0);
    link(node(g, "293", "PreviewAny"), "source", "194", 2);
    node(g, "300", "Wav2VecModelLoader").put("model", "wav2vec2-chinese-base_fp16.safetensors");
    node(g, "301", "MelBandRoFormerModelLoader")
        .put("model_name", "MelBandRoformer/MelBandRoformer_fp16.safetensors");
    ObjectNode separate = node(g, "302", "MelBandRoFormerSampler");
    link(separate, "model", "301", 0);
    link(separate, "audio", "125", 0);
    link(node(g, "309", "WanVideoPassImagesFromSamples"), "samples", "128", 0);
    node(g, "313", "LoadImage").put("image", image);
    ObjectNode vhs = node(g, "317", "VHS_VideoCombine");
    vhs.put("frame_rate", 25);
    vhs.put("filename_prefix", "InfiniteTalk/InfiniteTalk");
    vhs.put("format", "video/h264-mp4");
    vhs.put("save_output", true);
    link(vhs, "images", "309", 0);
    link(vhs, "audio", "125", 0);
    return g;
  }

  private static ObjectNode node(ObjectNode graph, String id, String classType) {
    ObjectNode node = graph.putObject(id);
    node.put("class_type", classType);
    return node.putObject("inputs");
  }

  private static void link(ObjectNode inputs, String name, String source, int index) {
    inputs.putArray(name).add(source).add(index);
  }

  static ObjectNode inputs(ObjectNode graph, String id) {
    return (ObjectNode) graph.get(id).get("inputs");
  }

  /** A silent 16 kHz mono 16-bit PCM WAV of exactly {@code seconds}. */
  static byte[] wav(double seconds) {
    int rate = 16_000;
    int samples = (int) Math.round(seconds * rate);
    int dataSize = samples * 2;
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + dataSize).put("WAVE".getBytes());
    header
        .put("fmt ".getBytes())
        .putInt(16)
        .putShort((short) 1)
        .putShort((short) 1)
        .putInt(rate)
        .putInt(rate * 2)
        .putShort((short) 2)
        .putShort((short) 16);
    header.put("data".getBytes()).putInt(dataSize);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(new byte[dataSize]);
    return out.toByteArray();
  }

  /** Bytes standing in for a PNG; the simulator never decodes images. */
  static byte[] image(int seed) {
    byte[] bytes = new byte[2048];
    Arrays.fill(bytes, (byte) seed);
    bytes[0] = (byte) 0x89;
    return bytes;
  }

  /** Distinct pseudo-video bytes of a given size, for download tests. */
  static byte[] video(int size, int seed) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }
}
