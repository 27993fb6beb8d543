package io.openavathar;

/**
 * A setting that fixes a failure, so that each front end can name it its own way. An exception that
 * a setting can fix carries it ({@link OpenAvatharException#setting()}); its {@link
 * OpenAvatharException#getMessage() message} names the setting in SDK terms ({@link #toString()}),
 * and {@link OpenAvatharException#getMessage(java.util.function.Function)} lets a command-line tool
 * say {@code --max-frames} or a UI name its form field instead.
 *
 * <pre>{@code
 * } catch (InvalidInputException e) {
 *   if (e.setting().orElse(null) == Setting.MAX_FRAMES) {
 *     // offer to raise the limit
 *   }
 *   System.err.println(e.getMessage(s -> s == Setting.MAX_FRAMES ? "the 'Max frames' field" : s.toString()));
 * }
 * }</pre>
 */
public enum Setting {
  /** The portrait: {@code GenerationRequest.Builder.image}. */
  IMAGE("the request's image"),
  /** The speech recording: {@code GenerationRequest.Builder.audio}. */
  AUDIO("the request's audio"),
  /**
   * Where the MP4 is written: {@code GenerationRequest.Builder.outputFile}, else the studio's
   * output directory.
   */
  OUTPUT_FILE("the request's outputFile"),
  /**
   * The most frames a video may have: {@code GenerationRequest.Builder.maxFrames}, else the
   * studio's default.
   */
  MAX_FRAMES("the request's maxFrames"),
  /** The RunPod API key: {@code RunPodPodProvider.Builder.apiKey}, else {@code RUNPOD_API_KEY}. */
  RUNPOD_API_KEY("the RunPod API key (RUNPOD_API_KEY)"),
  /** RunPod's REST API base URL: {@code RunPodPodProvider.Builder.apiUrl}. */
  RUNPOD_API_URL("the RunPod API URL"),
  /** The ComfyUI server(s) to use: {@code AvatarStudio.Builder.comfyUrls}. */
  COMFY_URL("the ComfyUI URL"),
  /** The license server's root URL: {@code HttpLicenseClient.Builder.baseUrl}. */
  LICENSE_URL("the license server URL"),
  /** The workflow file: {@code WorkflowTemplate.load} or {@code readGraph}. */
  WORKFLOW("the workflow file"),
  /**
   * Which node input receives a value: {@code WorkflowTemplate.Builder.bind}, written {@code
   * image=1.image}.
   */
  WORKFLOW_BINDING("a workflow binding"),
  /** The node whose file is the video: {@code WorkflowTemplate.Builder.outputNode}. */
  OUTPUT_NODE("the template's outputNode"),
  /** The most a job may cost, by its estimate: {@code GenerationRequest.Builder.maxCostUsd}. */
  MAX_COST("the request's maxCostUsd"),
  /** The most the studio may spend per UTC day: {@code AvatarStudio.Builder.dailySpendCapUsd}. */
  DAILY_SPEND_CAP("the studio's dailySpendCapUsd"),
  /** The least GPU memory for GPUs chosen by need: {@code PodSpec.Builder.minGpuMemoryGb}. */
  MIN_GPU_MEMORY("the pod spec's minGpuMemoryGb"),
  /** The most a pod may cost per hour: {@code PodSpec.Builder.maxPricePerHour}. */
  MAX_PRICE("the pod spec's maxPricePerHour"),
  /** The clouds a pod may run in: {@code PodSpec.Builder.clouds}. */
  CLOUD("the pod spec's clouds"),
  /** The GPU types to try instead of choosing by need: {@code PodSpec.Builder.gpuTypes}. */
  GPU("the pod spec's gpuTypes"),
  /**
   * Where the studio keeps its jobs and videos when not in its data directory: {@code
   * AvatarStudio.Builder.storeUrl} or {@code StudioStore.connect}, a JDBC URL.
   */
  STORE_URL("the store URL");

  private final String name;

  Setting(String name) {
    this.name = name;
  }

  /** The setting in SDK terms, as messages say it, for example "the request's maxFrames". */
  @Override
  public String toString() {
    return name;
  }
}
