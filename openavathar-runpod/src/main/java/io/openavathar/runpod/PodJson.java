package io.openavathar.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.internal.Json;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.NetworkVolume;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodSpec;
import io.openavathar.pod.PodStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads RunPod REST v2 JSON (pods, GPU catalog, network volumes) into core types and writes
 * create-pod bodies. Lenient: unknown fields are ignored, unknown enum values become {@code
 * UNKNOWN}, absent nullable fields are defaults.
 *
 * <p>Why Jackson's tree and not data binding into records: each answer goes straight into a core
 * type's builder ({@code Pod}, {@code GpuType}), whose defaults and wire-enum fallbacks are the
 * leniency above; binding would add a record per wire shape plus the same mapping from it, and the
 * fallbacks (a pod without {@code gpu} is a CPU pod, {@code startedAt} else {@code lastStartedAt},
 * managed only with both marks) would move into annotations and custom deserializers. Not shorter,
 * not clearer (issue 11 asked for binding only where it is).
 */
final class PodJson {
  private static final Logger LOG = LoggerFactory.getLogger(PodJson.class);

  /**
   * REST v2 pods have no tags or labels, so the SDK marks each pod it creates with this environment
   * variable (set to {@code 1}) and a name that starts with its prefix. Both must match for a pod
   * to count as managed: the studio may stop or terminate those, never a pod the user made by hand.
   */
  static final String MANAGED_ENV = "OPENAVATHAR_MANAGED";

  private final String namePrefix;
  private final ProxyUrls proxy;

  PodJson(String namePrefix, ProxyUrls proxy) {
    this.namePrefix = namePrefix;
    this.proxy = proxy;
  }

  /** The pods of a {@code GET /pods} answer, leaving out terminated and cluster-member pods. */
  List<Pod> pods(JsonNode envelope) {
    JsonNode list = envelope.get("pods");
    if (list == null || !list.isArray()) {
      throw RunPodHttp.notRunPod(
          "RunPod's list of pods has no 'pods' field (keys: " + keys(envelope) + ")", null);
    }
    if (envelope.hasNonNull("nextCursor")) {
      LOG.debug(
          "RunPod's pod list carries a nextCursor; REST v2 documents no paging for pods, so only this page is read");
    }
    List<Pod> pods = new ArrayList<>();
    for (JsonNode n : list) {
      if (n.hasNonNull("cluster")) {
        continue; // cluster members are managed through /clusters; pod actions on them answer 409
      }
      Pod pod = pod(n);
      if (pod.status() != PodStatus.TERMINATED) {
        pods.add(pod);
      }
    }
    return List.copyOf(pods);
  }

  /** One pod object. */
  Pod pod(JsonNode n) {
    String id = n.path("id").asText("");
    if (id.isEmpty()) {
      throw RunPodHttp.notRunPod("RunPod sent a pod without an id: keys " + keys(n), null);
    }
    String name = n.path("name").asText(id);
    Pod.Builder b = Pod.builder(id).name(name);
    String status = n.path("status").asText("");
    if (!status.isEmpty()) {
      b.rawStatus(status); // unknown values map to UNKNOWN, the text is kept
    }
    JsonNode gpu = n.path("gpu");
    if (gpu.isObject()) {
      b.gpuType(gpu.path("id").asText(null)).gpuCount(gpu.path("count").asInt(1));
    } else {
      b.gpuCount(0); // a CPU pod
    }
    b.cloudType(CloudType.fromWire(n.path("cloud").asText(null)));
    b.costPerHour(n.path("cost").asDouble(0));
    List<String> ports = new ArrayList<>();
    for (JsonNode p : n.path("ports")) {
      ports.add(p.asText());
    }
    b.ports(ports);
    JsonNode runtime = n.path("runtime");
    if (runtime.isObject()) {
      Set<Integer> mapped = new HashSet<>();
      for (JsonNode p : runtime.path("ports")) {
        if (p.path("private").canConvertToInt()) {
          mapped.add(p.path("private").asInt());
        }
      }
      b.runtime(true, mapped);
    }
    b.createdAt(instant(n.path("createdAt").asText(null)));
    Instant started = instant(n.path("startedAt").asText(null));
    b.startedAt(started != null ? started : instant(n.path("lastStartedAt").asText(null)));
    b.managed(
        name.startsWith(namePrefix) && "1".equals(n.path("env").path(MANAGED_ENV).asText(null)));
    if (ports.contains(PodSpec.COMFYUI_PORT + "/http")) {
      proxy.url(id, PodSpec.COMFYUI_PORT).ifPresent(b::comfyUiUrl);
    }
    return b.build();
  }

  /** The GPU types of a {@code GET /catalog/gpus} answer. */
  static List<GpuType> gpuTypes(JsonNode envelope) {
    List<GpuType> types = new ArrayList<>();
    for (JsonNode g : envelope.path("gpus")) {
      String id = g.path("id").asText("");
      if (id.isEmpty()) {
        continue;
      }
      JsonNode price = g.path("price");
      types.add(
          new GpuType(
              id,
              g.path("name").asText(id),
              g.path("memory").asInt(0),
              offered(g.path("secure"), price.path("secure")),
              offered(g.path("community"), price.path("community")),
              GpuType.Availability.fromWire(g.path("availability").asText(null))));
    }
    return List.copyOf(types);
  }

  /** The volumes of a {@code GET /network-volumes} answer. */
  static List<NetworkVolume> networkVolumes(JsonNode envelope) {
    List<NetworkVolume> volumes = new ArrayList<>();
    for (JsonNode v : envelope.path("networkVolumes")) {
      String id = v.path("id").asText("");
      if (!id.isEmpty()) {
        volumes.add(
            new NetworkVolume(
                id,
                v.path("name").asText(id),
                v.path("size").asInt(0),
                v.path("dataCenter").asText("")));
      }
    }
    return List.copyOf(volumes);
  }

  /**
   * The {@code POST /pods} body for one candidate. Only fields of {@code CreatePodRequest} are sent
   * (RunPod answers 422 to any other); the env always carries {@link #MANAGED_ENV}{@code =1}.
   */
  static ObjectNode createBody(PodSpec spec, String name, String gpuId, CloudType cloud) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("name", name);
    spec.templateId().ifPresent(t -> body.put("templateId", t));
    spec.image().ifPresent(i -> body.put("image", i));
    ObjectNode gpu = body.putObject("gpu");
    gpu.put("id", gpuId);
    gpu.put("count", spec.gpuCount());
    body.put("cloud", cloud.name());
    if (!spec.ports().isEmpty()) {
      ArrayNode ports = body.putArray("ports");
      spec.ports().forEach(ports::add);
    }
    ObjectNode env = body.putObject("env");
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      env.put(e.getKey(), e.getValue());
    }
    env.put(MANAGED_ENV, "1");
    spec.containerDiskGb().ifPresent(gb -> body.put("disk", gb));
    spec.networkVolumeId()
        .ifPresent(
            volumeId -> {
              ObjectNode mount = body.putObject("mounts").putArray("network").addObject();
              mount.put("volumeId", volumeId);
              mount.put("path", spec.volumeMountPath());
            });
    return body;
  }

  private static OptionalDouble offered(JsonNode flag, JsonNode price) {
    boolean inCloud =
        flag.isMissingNode() || flag.isNull() ? price.isNumber() : flag.asBoolean(false);
    return inCloud && price.isNumber()
        ? OptionalDouble.of(price.asDouble())
        : OptionalDouble.empty();
  }

  private static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      java.util.regex.Matcher go = GO_TIME.matcher(text.trim());
      if (go.matches()) {
        // Go's time format, as observed on the wire: "2026-08-20 06:16:19.436 +0000 UTC".
        String offset = go.group(3).substring(0, 3) + ":" + go.group(3).substring(3);
        try {
          return OffsetDateTime.parse(go.group(1) + "T" + go.group(2) + offset).toInstant();
        } catch (DateTimeParseException ignored) {
          // fall through
        }
      }
      LOG.debug("Ignoring a pod timestamp that is neither ISO-8601 nor Go's format: '{}'", text);
      return null;
    }
  }

  /** {@code 2026-08-20 06:16:19.436 +0000 UTC}: date, time, offset, optional zone name. */
  private static final java.util.regex.Pattern GO_TIME =
      java.util.regex.Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?) ([+-]\\d{4})(?: [A-Za-z]+)?");

  private static String keys(JsonNode n) {
    List<String> keys = new ArrayList<>();
    n.fieldNames().forEachRemaining(keys::add);
    return keys.toString();
  }
}
