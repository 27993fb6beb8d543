package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Read-only server information: {@code /system_stats}, {@code /features}, {@code /object_info},
 * {@code /models}, {@code /embeddings}.
 */
final class InfoRoutes implements SimulatorHandler.Route {

  static final String VERSION = "0.3.64-simulated";

  private final ServerCatalog catalog;
  private final Directories directories;
  private final long maxUploadBytes;
  private final boolean cpuDevice;
  private final SimulatedGpu gpu;

  InfoRoutes(
      ServerCatalog catalog,
      Directories directories,
      long maxUploadBytes,
      boolean cpuDevice,
      SimulatedGpu gpu) {
    this.gpu = gpu;
    this.catalog = catalog;
    this.directories = directories;
    this.maxUploadBytes = maxUploadBytes;
    this.cpuDevice = cpuDevice;
  }

  /**
   * The server's feature flags, for {@code /features} and the WebSocket {@code feature_flags}
   * answer.
   */
  static ObjectNode features(long maxUploadBytes) {
    ObjectNode features = Json.object();
    features.put("supports_preview_metadata", true);
    features.put(
        "max_upload_size", new BigDecimal(maxUploadBytes).setScale(1)); // Python float: 104857600.0
    return features;
  }

  @Override
  public Reply handle(Exchange exchange) throws Exception {
    String route = exchange.route();
    boolean get = exchange.method().equals("GET");
    if (route.equals("/system_stats")) {
      return get ? Reply.json(systemStats()) : Reply.empty(405);
    }
    if (route.equals("/features")) {
      return get ? Reply.json(features(maxUploadBytes)) : Reply.empty(405);
    }
    if (route.equals("/embeddings")) {
      return get ? Reply.json(Json.array()) : Reply.empty(405);
    }
    if (route.equals("/models")) {
      ArrayNode keys = Json.array();
      new TreeSet<>(catalog.models().keySet()).forEach(keys::add);
      return get ? Reply.json(keys) : Reply.empty(405);
    }
    if (route.startsWith("/models/")) {
      List<String> files = catalog.models().get(route.substring("/models/".length()));
      if (files == null) {
        return Reply.empty(404);
      }
      ArrayNode list = Json.array();
      files.forEach(list::add);
      return get ? Reply.json(list) : Reply.empty(405);
    }
    if (route.equals("/object_info")) {
      ObjectNode all = Json.object();
      for (String classType : new TreeSet<>(catalog.installed())) {
        all.set(classType, objectInfo(classType));
      }
      return get ? Reply.json(all) : Reply.empty(405);
    }
    if (route.startsWith("/object_info/")) {
      String classType = route.substring("/object_info/".length());
      ObjectNode answer = Json.object();
      if (catalog.installed().contains(classType)) {
        answer.set(classType, objectInfo(classType));
      }
      return get ? Reply.json(answer) : Reply.empty(405);
    }
    return null;
  }

  private ObjectNode systemStats() {
    ObjectNode stats = Json.object();
    ObjectNode system = stats.putObject("system");
    system.put("os", "posix");
    system.put("ram_total", 135_000_000_000L);
    system.put("ram_free", 90_000_000_000L);
    system.put("comfyui_version", VERSION);
    system.put("required_frontend_version", "1.27.10");
    system.put("installed_templates_version", "0.1.95");
    system.put("required_templates_version", "0.1.95");
    system.put("python_version", "3.12.3 (simulated)");
    system.put("pytorch_version", "2.8.0+cu128");
    system.put("embedded_python", false);
    system.putArray("argv").add("main.py").add("--listen");
    ObjectNode device = stats.putArray("devices").addObject();
    if (cpuDevice) {
      // A real 0.3.64 started with --cpu: the device is the CPU, its "VRAM" the system RAM.
      device.put("name", "cpu");
      device.put("type", "cpu");
      device.putNull("index");
      device.put("vram_total", 135_000_000_000L);
      device.put("vram_free", 90_000_000_000L);
      device.put("torch_vram_total", 135_000_000_000L);
      device.put("torch_vram_free", 90_000_000_000L);
      return stats;
    }
    device.put("name", "cuda:0 " + gpu.deviceName() + " : cudaMallocAsync");
    device.put("type", "cuda");
    device.put("index", 0);
    device.put("vram_total", gpu.vramBytes());
    device.put("vram_free", 25_000_000_000L);
    device.put("torch_vram_total", 0);
    device.put("torch_vram_free", 0);
    return stats;
  }

  /**
   * An {@code object_info} entry with the choice-list inputs: LoadImage and LoadAudio list the
   * files in the input directory, model loaders the server's model files, other combos their
   * options.
   */
  private ObjectNode objectInfo(String classType) throws IOException {
    ObjectNode info = Json.object();
    ObjectNode input = info.putObject("input");
    ObjectNode required = input.putObject("required");
    input.putObject("optional");
    ArrayNode order = info.putObject("input_order").putArray("required");
    if (classType.equals(NodeClasses.LOAD_IMAGE)) {
      ArrayNode spec = required.putArray("image");
      ArrayNode files = spec.addArray();
      inputFiles().forEach(files::add);
      spec.addObject().put("image_upload", true);
      order.add("image");
    } else if (classType.equals(NodeClasses.LOAD_AUDIO)) {
      // A V3-schema node since 2025: the combo is ["COMBO", {"options": [...], ...}].
      ArrayNode spec = required.putArray("audio");
      spec.add("COMBO");
      ObjectNode options = spec.addObject();
      options.put("audio_upload", true);
      ArrayNode files = options.putArray("options");
      inputFiles().forEach(files::add);
      order.add("audio");
    }
    InputSpecs.addCombos(classType, catalog.models(), required, order);
    info.putArray("output");
    info.putArray("output_is_list");
    info.putArray("output_name");
    info.put("name", classType);
    info.put("display_name", classType);
    info.put("description", "");
    info.put(
        "python_module",
        classType.startsWith("Load")
                || classType.startsWith("Preview")
                || classType.equals(NodeClasses.SAVE_IMAGE)
                || classType.equals("CLIPVisionLoader")
            ? "nodes"
            : "custom_nodes.simulated");
    info.put("category", "simulated");
    info.put("output_node", NodeClasses.isOutput(classType));
    return info;
  }

  private List<String> inputFiles() throws IOException {
    Path input = directories.input();
    try (Stream<Path> files = Files.walk(input)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> input.relativize(file).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }
}
