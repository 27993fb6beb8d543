package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.internal.Json;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.PodStatus;
import org.junit.jupiter.api.Test;

/**
 * A field of an unexpected type costs only that field: the pod, GPU type or volume is still listed
 * with everything else read. (Why PodJson reads the tree rather than bind records: binding fails
 * the whole list on one odd field.)
 */
class PodJsonTest {
  private static final PodJson PODS = new PodJson("openavathar-", ProxyUrls.of(ProxyUrls.DEFAULT));

  @Test
  void aPodWithWrongTypedFields_isStillListed_withTheRestRead() throws Exception {
    JsonNode body =
        Json.mapper()
            .readTree(
                """
        {"pods": [{"id": "abc123xyz", "name": "openavathar-1", "status": "RUNNING",
                   "gpu": {"id": "NVIDIA GeForce RTX 4090", "count": "two"}, "cloud": ["SECURE"], "cost": "cheap",
                   "ports": "8188/http", "runtime": {"ports": [{"private": "x"}, {"private": 8188}]},
                   "createdAt": 12, "env": {"OPENAVATHAR_MANAGED": "1"}}]}
        """);
    assertThat(PODS.pods(body))
        .singleElement()
        .satisfies(
            pod -> {
              assertThat(pod.id()).isEqualTo("abc123xyz");
              assertThat(pod.status()).isEqualTo(PodStatus.RUNNING);
              assertThat(pod.gpuType()).contains("NVIDIA GeForce RTX 4090");
              assertThat(pod.costPerHour()).isZero();
              assertThat(pod.ports()).isEmpty();
              assertThat(pod.runtimePorts()).containsExactly(8188);
              assertThat(pod.createdAt()).isEmpty();
              assertThat(pod.isManaged()).isTrue();
            });
  }

  @Test
  void oneOddCatalogEntry_leavesTheOthersAlone() throws Exception {
    JsonNode body =
        Json.mapper()
            .readTree(
                """
        {"gpus": [{"id": "A", "name": "A", "memory": "big", "price": {"secure": "free"}, "availability": 3},
                  {"id": "B", "name": "B", "memory": 80, "price": {"secure": 2.5}, "availability": "HIGH"}],
         "networkVolumes": [{"id": "v1", "size": "huge"}, {"id": "v2", "name": "models", "size": 50,
                             "dataCenter": "EU-RO-1"}]}
        """);
    assertThat(PodJson.gpuTypes(body))
        .extracting(GpuType::id, GpuType::memoryGb)
        .containsExactly(tuple("A", 0), tuple("B", 80));
    assertThat(PodJson.gpuTypes(body).get(0).securePricePerHour()).isEmpty();
    assertThat(PodJson.networkVolumes(body))
        .extracting(v -> v.id() + ":" + v.sizeGb())
        .containsExactly("v1:0", "v2:50");
  }
}
