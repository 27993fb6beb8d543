package io.openavathar.testkit.runpod;

import static io.openavathar.testkit.runpod.RunPodClient.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.testkit.junit5.RunPodSimulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CatalogTest {

  @RegisterExtension
  final RunPodSimulatorExtension extension =
      new RunPodSimulatorExtension(
          builder ->
              builder
                  .apiKey(KEY)
                  .manualTime()
                  .networkVolume("vol0example", "models", 100, "EU-RO-1"));

  private RunPodClient client;

  @BeforeEach
  void setUp() {
    client = new RunPodClient(extension.simulator());
  }

  @Test
  void gpus_withoutInclude_listsTypesWithPricesButNoAvailability() {
    JsonNode gpus = client.get("/catalog/gpus").json().get("gpus");

    assertThat(gpus).hasSize(3);
    JsonNode rtx4090 = gpus.get(0);
    assertThat(rtx4090.get("id").asText()).isEqualTo("NVIDIA GeForce RTX 4090");
    assertThat(rtx4090.get("memory").asInt()).isEqualTo(24);
    assertThat(rtx4090.get("price").get("secure").asDouble()).isPositive();
    assertThat(rtx4090.get("price").get("community").asDouble()).isPositive();
    assertThat(rtx4090.get("maxCount").get("secure").asInt()).isEqualTo(8);
    assertThat(rtx4090.has("availability")).isFalse();
    assertThat(gpus.findValuesAsText("id")).contains("NVIDIA RTX A6000", "NVIDIA A100 80GB PCIe");
  }

  @Test
  void gpus_withAvailabilityForPods_reportsStockDataCentersAndCuda() {
    JsonNode gpus =
        client
            .get("/catalog/gpus?include=AVAILABILITY&product=POD&cloud=COMMUNITY")
            .json()
            .get("gpus");

    JsonNode rtx4090 = gpus.get(0);
    assertThat(rtx4090.get("availability").asText()).isEqualTo("HIGH");
    assertThat(rtx4090.get("dataCenters").findValuesAsText("id"))
        .containsExactly("US-TX-3", "CA-MTL-1");
    assertThat(rtx4090.get("cudaVersions"))
        .anySatisfy(
            cuda -> {
              assertThat(cuda.get("version").asText()).isEqualTo("12.8");
              assertThat(cuda.get("available").asBoolean()).isTrue();
            });
  }

  @Test
  void setAvailability_changesOneCloudsStock_forTheCatalogAndForCreates() {
    extension
        .simulator()
        .setAvailability(
            "NVIDIA GeForce RTX 4090", "community", SimulatedGpuType.Availability.NONE);

    JsonNode community =
        client
            .get("/catalog/gpus?include=AVAILABILITY&product=POD&cloud=COMMUNITY")
            .json()
            .get("gpus")
            .get(0);
    JsonNode secure =
        client
            .get("/catalog/gpus?include=AVAILABILITY&product=POD&cloud=SECURE")
            .json()
            .get("gpus")
            .get(0);
    assertThat(community.get("availability").asText()).isEqualTo("NONE");
    assertThat(secure.get("availability").asText()).isEqualTo("HIGH");
    assertThat(client.post("/pods", RunPodClient.podBody().put("cloud", "COMMUNITY")).status())
        .isEqualTo(400);
    assertThat(client.post("/pods", RunPodClient.podBody().put("cloud", "SECURE")).status())
        .isEqualTo(201);
    assertThatThrownBy(
            () ->
                extension
                    .simulator()
                    .setAvailability("nope", "SECURE", SimulatedGpuType.Availability.LOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gpus_aboveTheMaximumCount_haveNoStock() {
    JsonNode gpus =
        client
            .get("/catalog/gpus?include=AVAILABILITY&product=POD&cloud=COMMUNITY&count=5")
            .json()
            .get("gpus");

    assertThat(gpus.findValuesAsText("availability")).containsOnly("NONE");
    assertThat(gpus.get(0).has("dataCenters")).isFalse();
  }

  @Test
  void gpus_includeWithoutProduct_andProductWithoutInclude_answer400() {
    assertThat(client.get("/catalog/gpus?include=AVAILABILITY").status()).isEqualTo(400);
    assertThat(client.get("/catalog/gpus?product=POD").status()).isEqualTo(400);
    assertThat(client.get("/catalog/gpus?include=AVAILABILITY&product=POD&cloud=ALL").status())
        .isEqualTo(422);
  }

  @Test
  void gpus_countryCodes_dropTypesWithoutADataCenterThere() {
    JsonNode gpus =
        client
            .get("/catalog/gpus?include=AVAILABILITY&product=POD&countryCodes=RO")
            .json()
            .get("gpus");
    JsonNode none =
        client
            .get("/catalog/gpus?include=AVAILABILITY&product=POD&countryCodes=FR")
            .json()
            .get("gpus");

    assertThat(gpus.get(0).get("dataCenters").findValuesAsText("id")).containsExactly("EU-RO-1");
    assertThat(none).isEmpty();
  }

  @Test
  void gpu_byId_isFound_andUnknownIs404() {
    assertThat(client.get("/catalog/gpus/NVIDIA%20RTX%20A6000").json().get("memory").asInt())
        .isEqualTo(48);
    assertThat(client.get("/catalog/gpus/nope").status()).isEqualTo(404);
  }

  @Test
  void networkVolumes_listTheConfiguredVolumes() {
    JsonNode volumes = client.get("/network-volumes").json().get("networkVolumes");

    assertThat(volumes).hasSize(1);
    assertThat(volumes.get(0).get("id").asText()).isEqualTo("vol0example");
    assertThat(volumes.get(0).get("dataCenter").asText()).isEqualTo("EU-RO-1");
    assertThat(volumes.get(0).get("size").asInt()).isEqualTo(100);
    assertThat(client.get("/network-volumes/vol0example").status()).isEqualTo(200);
    assertThat(client.get("/network-volumes/other").status()).isEqualTo(404);
  }
}
