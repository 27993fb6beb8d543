package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /v2/catalog/gpus[/{id}]} with the availability filters, and {@code GET
 * /v2/network-volumes[/{id}]}.
 */
final class CatalogRoutes {

  private static final List<String> AVAILABILITY_ONLY =
      List.of("product", "count", "cloud", "countryCodes", "cudaVersions", "minCudaVersion");
  private static final Pattern CUDA = Pattern.compile("^\\d+\\.\\d+$");
  private static final Pattern MIN_CUDA = Pattern.compile("^\\d+(\\.\\d+)?$");
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");

  /** The parsed availability query, or null fields when availability was not asked for. */
  private record Query(
      boolean availability,
      String cloud,
      int count,
      List<String> countries,
      List<String> cudaVersions,
      String minCuda) {}

  private final RunPodSettings settings;

  CatalogRoutes(RunPodSettings settings) {
    this.settings = settings;
  }

  ApiReply gpus(Request request) {
    Object query = parse(Request.extractQueryParameters(request));
    if (query instanceof ApiReply error) {
      return error;
    }
    ArrayNode gpus = Json.array();
    for (SimulatedGpuType type : settings.gpuTypes()) {
      ObjectNode json = gpu(type, (Query) query);
      if (json != null) {
        gpus.add(json);
      }
    }
    ObjectNode body = Json.object();
    body.set("gpus", gpus);
    return ApiReply.json(200, body);
  }

  ApiReply gpu(String id, Request request) {
    Object query = parse(Request.extractQueryParameters(request));
    if (query instanceof ApiReply error) {
      return error;
    }
    SimulatedGpuType type = settings.gpuType(id);
    if (type == null) {
      return ApiReply.problem(404, "gpu type not found");
    }
    ObjectNode json = gpu(type, (Query) query);
    if (json
        == null) { // the single-GPU endpoint keeps the type, with NONE, when countryCodes rules it
      // out
      json = gpu(type, new Query(false, null, 1, List.of(), List.of(), null));
      json.put("availability", "NONE");
    }
    return ApiReply.json(200, json);
  }

  ApiReply volumes() {
    ArrayNode list = Json.array();
    settings.volumes().forEach(volume -> list.add(volume(volume)));
    ObjectNode body = Json.object();
    body.set("networkVolumes", list);
    return ApiReply.json(200, body);
  }

  ApiReply volume(String id) {
    RunPodSettings.Volume volume = settings.volume(id);
    return volume == null
        ? ApiReply.problem(404, "network volume not found")
        : ApiReply.json(200, volume(volume));
  }

  private static ObjectNode volume(RunPodSettings.Volume volume) {
    ObjectNode json = Json.object();
    json.put("id", volume.id());
    json.put("name", volume.name());
    json.put("size", volume.sizeGb());
    json.put("dataCenter", volume.dataCenterId());
    json.put("type", "STANDARD");
    return json;
  }

  /** A {@link Query}, or the 400/422 problem for a bad combination or value. */
  private static Object parse(Fields fields) {
    String include = fields.getValue("include");
    if (include == null) {
      for (String name : AVAILABILITY_ONLY) {
        if (fields.get(name) != null) {
          return ApiReply.problem(400, name + " is valid only with include=AVAILABILITY");
        }
      }
      return new Query(false, null, 1, List.of(), List.of(), null);
    }
    if (!include.equals("AVAILABILITY")) {
      return invalid("query.include: value must be one of 'AVAILABILITY'");
    }
    String product = fields.getValue("product");
    if (product == null) {
      return ApiReply.problem(400, "product is required with include=AVAILABILITY");
    }
    for (String value : split(product)) {
      if (!List.of("POD", "CLUSTER", "SERVERLESS").contains(value)) {
        return invalid("query.product: value must be one of 'POD', 'CLUSTER', 'SERVERLESS'");
      }
    }
    String cloud = fields.getValue("cloud") == null ? "SECURE" : fields.getValue("cloud");
    if (!cloud.equals("SECURE") && !cloud.equals("COMMUNITY")) {
      return invalid("query.cloud: value must be one of 'SECURE', 'COMMUNITY'");
    }
    int count;
    try {
      count = fields.getValue("count") == null ? 1 : Integer.parseInt(fields.getValue("count"));
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1) {
      return invalid("query.count: must be an integer of at least 1");
    }
    List<String> countries = split(fields.getValue("countryCodes"));
    List<String> cuda = split(fields.getValue("cudaVersions"));
    String minCuda = fields.getValue("minCudaVersion");
    if (!cuda.isEmpty() && minCuda != null) {
      return ApiReply.problem(400, "cudaVersions and minCudaVersion are mutually exclusive");
    }
    if (countries.stream().anyMatch(code -> !COUNTRY.matcher(code).matches())
        || cuda.stream().anyMatch(version -> !CUDA.matcher(version).matches())
        || (minCuda != null && !MIN_CUDA.matcher(minCuda).matches())) {
      return invalid(
          "query: countryCodes must be ISO alpha-2 codes, cudaVersions major.minor and "
              + "minCudaVersion major[.minor]");
    }
    return new Query(true, cloud, count, countries, cuda, minCuda);
  }

  private static ApiReply invalid(String error) {
    return ApiReply.problem(422, "Request validation failed.", List.of(error));
  }

  private static List<String> split(String value) {
    return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(","));
  }

  /** The {@code GpuType} JSON; null when a countryCodes filter leaves the type no data center. */
  private static ObjectNode gpu(SimulatedGpuType type, Query query) {
    ObjectNode json = Json.object();
    json.put("id", type.id());
    json.put("name", type.name());
    if (type.pool() == null) {
      json.putNull("pool");
    } else {
      json.put("pool", type.pool());
    }
    json.put("manufacturer", "NVIDIA");
    json.put("memory", type.memoryGb());
    json.put("secure", type.onSecureCloud());
    json.put("community", type.onCommunityCloud());
    ObjectNode price = json.putObject("price");
    price.put("secure", type.securePrice());
    price.put("community", type.communityPrice());
    ObjectNode maxCount = json.putObject("maxCount");
    maxCount.put("secure", type.onSecureCloud() ? RunPodSettings.MAX_COUNT_SECURE : 0);
    maxCount.put("community", type.onCommunityCloud() ? RunPodSettings.MAX_COUNT_COMMUNITY : 0);
    if (!query.availability()) {
      return json;
    }
    boolean secure = query.cloud().equals("SECURE");
    boolean offered = secure ? type.onSecureCloud() : type.onCommunityCloud();
    int max = secure ? RunPodSettings.MAX_COUNT_SECURE : RunPodSettings.MAX_COUNT_COMMUNITY;
    SimulatedGpuType.Availability stock =
        !offered || query.count() > max
            ? SimulatedGpuType.Availability.NONE
            : secure ? type.secureAvailability() : type.communityAvailability();
    List<RunPodSettings.DataCenter> centers = new ArrayList<>();
    for (RunPodSettings.DataCenter dc : RunPodSettings.DATA_CENTERS) {
      if (dc.cloud().equals(query.cloud())
          && (query.countries().isEmpty() || query.countries().contains(country(dc.id())))) {
        centers.add(dc);
      }
    }
    if (!query.countries().isEmpty() && centers.isEmpty()) {
      return null;
    }
    boolean hostCudaWanted =
        query.cudaVersions().isEmpty()
            ? query.minCuda() == null
                || CreatePodRoute.compareVersions(query.minCuda(), RunPodSettings.HOST_CUDA) <= 0
            : query.cudaVersions().contains(RunPodSettings.HOST_CUDA);
    if (!hostCudaWanted) {
      stock = SimulatedGpuType.Availability.NONE;
    }
    json.put("availability", stock.name());
    if (stock != SimulatedGpuType.Availability.NONE) {
      ArrayNode dataCenters = json.putArray("dataCenters");
      for (RunPodSettings.DataCenter dc : centers) {
        ObjectNode entry = dataCenters.addObject();
        entry.put("id", dc.id());
        entry.put("name", dc.name());
        entry.put("availability", stock.name());
      }
    }
    ArrayNode versions = json.putArray("cudaVersions");
    for (String version : RunPodSettings.CUDA_VERSIONS) {
      boolean inScope =
          query.cudaVersions().isEmpty()
              ? query.minCuda() == null
                  || CreatePodRoute.compareVersions(query.minCuda(), version) <= 0
              : query.cudaVersions().contains(version);
      if (inScope) {
        ObjectNode entry = versions.addObject();
        entry.put("version", version);
        entry.put(
            "available",
            version.equals(RunPodSettings.HOST_CUDA)
                && stock != SimulatedGpuType.Availability.NONE);
      }
    }
    return json;
  }

  /** The ISO country of a data center id: {@code US-KS-2} is US, {@code EU-RO-1} is RO. */
  private static String country(String dataCenterId) {
    String[] parts = dataCenterId.split("-");
    return parts[0].equals("EU") && parts.length > 1 ? parts[1] : parts[0];
  }
}
