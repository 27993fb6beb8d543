package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/pods}: schema validation (422), the handler's cross-field rules (400), template
 * resolution (404), balance (402), placement against the catalog and scripted capacity faults
 * (400), then the pod (201), answered late or not at all when a create timeout is scripted.
 */
final class CreatePodRoute {

  private static final Logger LOG = LoggerFactory.getLogger(CreatePodRoute.class);

  /** RunPod's capacity message, also given when dataCenterIds is too narrow. */
  static final String NO_CAPACITY =
      "There are no longer any instances available with the requested "
          + "specifications. Please refresh and try again.";

  private final RunPodSettings settings;
  private final Pods pods;
  private final ApiFaults faults;

  CreatePodRoute(RunPodSettings settings, Pods pods, ApiFaults faults) {
    this.settings = settings;
    this.pods = pods;
    this.faults = faults;
  }

  ApiReply create(byte[] bodyBytes) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(bodyBytes);
    } catch (IOException e) {
      body = null;
    }
    if (body == null || body.isMissingNode()) {
      return ApiReply.problem(400, "request body is not valid JSON");
    }
    List<String> errors = CreatePodValidator.validateCreate(body);
    if (!errors.isEmpty()) {
      return ApiReply.problem(422, "Request validation failed.", errors);
    }
    Optional<ApiReply> rejected = crossFieldRules(body);
    if (rejected.isPresent()) {
      return rejected.get();
    }
    RunPodSettings.Template template = null;
    if (body.has("templateId")) {
      template = settings.templates().get(body.get("templateId").asText());
      if (template == null) {
        return ApiReply.problem(404, "template not found");
      }
    }
    if (faults.takeNoBalance()) {
      return ApiReply.problem(
          402, "insufficient balance: add funds to your account to deploy pods");
    }
    JsonNode gpu = body.get("gpu");
    String gpuTypeId = gpu.get("id").asText();
    SimulatedGpuType type = settings.gpuType(gpuTypeId);
    if (type == null) {
      return ApiReply.problem(
          400, "unknown GPU type id '" + gpuTypeId + "'; see GET /v2/catalog/gpus");
    }
    String cloud = body.path("cloud").asText("SECURE");
    int count = gpu.path("count").asInt(1);
    String volumeId = body.path("mounts").path("network").path(0).path("volumeId").asText(null);
    RunPodSettings.Volume volume = volumeId == null ? null : settings.volume(volumeId);
    if (volumeId != null && volume == null) {
      return ApiReply.problem(400, "network volume '" + volumeId + "' not found");
    }
    String scripted = faults.takeNoCapacity(type.id(), cloud);
    if (scripted != null) {
      LOG.debug("Scripted capacity failure for create [gpu={}, cloud={}]", gpuTypeId, cloud);
      return ApiReply.problem(400, scripted);
    }
    String dataCenter = place(body, type, cloud, count, volume);
    if (dataCenter == null) {
      LOG.debug("No capacity for create [gpu={}, cloud={}, count={}]", gpuTypeId, cloud, count);
      return ApiReply.problem(400, NO_CAPACITY);
    }
    ObjectNode pod = pods.create(spec(body, template, type, cloud, count, dataCenter));
    ApiReply created = ApiReply.json(201, pod);
    ApiFaults.CreateTimeout timeout = faults.takeCreateTimeout();
    return timeout == null ? created : late(created, timeout, pod.get("id").asText());
  }

  private static Optional<ApiReply> crossFieldRules(JsonNode body) {
    if (body.has("gpu") == body.has("cpu")) {
      return Optional.of(ApiReply.problem(400, "exactly one of gpu or cpu must be set"));
    }
    if (body.has("cpu")) {
      return Optional.of(
          ApiReply.problem(400, "the RunPod simulator does not simulate CPU pods; set gpu"));
    }
    JsonNode mounts = body.path("mounts");
    if (mounts.has("persistent") && mounts.has("network")) {
      return Optional.of(
          ApiReply.problem(400, "mounts.persistent and mounts.network are mutually exclusive"));
    }
    JsonNode gpu = body.get("gpu");
    if (gpu.path("allowedCudaVersions").size() > 0 && gpu.has("minCudaVersion")) {
      return Optional.of(
          ApiReply.problem(
              400, "gpu.allowedCudaVersions and gpu.minCudaVersion are mutually exclusive"));
    }
    return Optional.empty();
  }

  /** The data center to place the pod in, or null when nothing fits (RunPod's capacity 400). */
  private String place(
      JsonNode body, SimulatedGpuType type, String cloud, int count, RunPodSettings.Volume volume) {
    boolean secure = cloud.equals("SECURE");
    boolean offered = secure ? type.onSecureCloud() : type.onCommunityCloud();
    SimulatedGpuType.Availability stock =
        secure ? type.secureAvailability() : type.communityAvailability();
    int maxCount = secure ? RunPodSettings.MAX_COUNT_SECURE : RunPodSettings.MAX_COUNT_COMMUNITY;
    if (!offered
        || stock == SimulatedGpuType.Availability.NONE
        || count > maxCount
        || !cudaFits(body.get("gpu"))) {
      return null;
    }
    List<String> wanted = new ArrayList<>();
    body.path("dataCenterIds").forEach(id -> wanted.add(id.asText()));
    for (RunPodSettings.DataCenter dc : RunPodSettings.DATA_CENTERS) {
      boolean fits =
          dc.cloud().equals(cloud)
              && (wanted.isEmpty() || wanted.contains(dc.id()))
              && (volume == null || volume.dataCenterId().equals(dc.id()));
      if (fits) {
        return dc.id();
      }
    }
    return null;
  }

  /** Whether the host CUDA version satisfies the request (exact set or numeric floor). */
  private static boolean cudaFits(JsonNode gpu) {
    JsonNode allowed = gpu.path("allowedCudaVersions");
    if (allowed.size() > 0) {
      for (JsonNode version : allowed) {
        if (version.asText().equals(RunPodSettings.HOST_CUDA)) {
          return true;
        }
      }
      return false;
    }
    String min = gpu.path("minCudaVersion").asText(null);
    return min == null || compareVersions(min, RunPodSettings.HOST_CUDA) <= 0;
  }

  /** Compares {@code major.minor} numerically, so 12.11 is above 12.2. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    if (major != 0) {
      return major;
    }
    int minorA = x.length > 1 ? Integer.parseInt(x[1]) : 0;
    int minorB = y.length > 1 ? Integer.parseInt(y[1]) : 0;
    return Integer.compare(minorA, minorB);
  }

  private static PodState.Spec spec(
      JsonNode body,
      RunPodSettings.Template template,
      SimulatedGpuType type,
      String cloud,
      int count,
      String dataCenter) {
    String image = body.has("image") ? body.get("image").asText() : template.image();
    List<String> ports = new ArrayList<>();
    if (body.has("ports")) {
      body.get("ports").forEach(port -> ports.add(port.asText()));
    } else if (template != null) {
      ports.addAll(template.ports());
    }
    Map<String, String> env = new LinkedHashMap<>(template == null ? Map.of() : template.env());
    for (Map.Entry<String, JsonNode> entry : body.path("env").properties()) {
      env.put(entry.getKey(), entry.getValue().asText());
    }
    if (body.path("startJupyter").asBoolean(false)) {
      env.putIfAbsent("JUPYTER_PASSWORD", java.util.UUID.randomUUID().toString().replace("-", ""));
    }
    JsonNode registry = body.get("registry");
    double price = cloud.equals("SECURE") ? type.securePrice() : type.communityPrice();
    return new PodState.Spec(
        body.get("name").asText(),
        image,
        body.path("args").asText(""),
        body.path("disk").asInt(50),
        ports,
        env,
        registry == null || registry.isNull() ? null : registry.asText(),
        body.get("mounts"),
        type.id(),
        count,
        cloud,
        dataCenter,
        price);
  }

  /**
   * The 201, written only after the scripted delay, or never (the connection is dropped instead).
   */
  private ApiReply late(ApiReply created, ApiFaults.CreateTimeout timeout, String podId) {
    return created.withWriter(
        (request, response, callback) -> {
          if (timeout.dropConnection()) {
            LOG.debug("Dropping the create connection as scripted; the pod exists [id={}]", podId);
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new EofException("create connection dropped by the simulator"));
            return;
          }
          LOG.debug(
              "Delaying the create answer as scripted [id={}, delay={}]", podId, timeout.delay());
          faults.await(timeout.delay());
          created.sendBuffered(response, callback);
        });
  }
}
