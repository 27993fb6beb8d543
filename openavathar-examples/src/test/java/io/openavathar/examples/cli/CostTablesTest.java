package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.GeneratedVideo;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a video cost and what a pod costs so far, as the CLI prints them. */
class CostTablesTest {
  static final Instant NOW = Instant.parse("2026-11-25T13:00:00Z");

  static GeneratedVideo video(
      String gpuType, double gpuSeconds, OptionalDouble price, OptionalDouble cost) {
    return GeneratedVideo.builder()
        .id("v1")
        .jobId("v1")
        .podId("pod-1")
        .promptId("v1")
        .remoteFile("output/v1.mp4")
        .file(Path.of("v1.mp4"))
        .size(832, 480)
        .frames(200)
        .duration(Duration.ofSeconds(8))
        .seed(42)
        .gpuType(gpuType)
        .gpuSeconds(gpuSeconds)
        .pricePerHour(price)
        .costUsd(cost)
        .createdAt(NOW)
        .build();
  }

  static String print(java.util.function.Consumer<PrintWriter> table) {
    StringWriter out = new StringWriter();
    table.accept(new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void usage_saysGpuSecondsGpuAndCost_leavingOutWhatIsUnknown() {
    assertThat(
            VideoTables.usage(
                video(
                    "NVIDIA GeForce RTX 4090",
                    182.4,
                    OptionalDouble.of(0.34),
                    OptionalDouble.of(182.4 / 3600 * 0.34))))
        .isEqualTo("182 GPU-s on NVIDIA GeForce RTX 4090, $0.02 (at $0.34/h)");
    assertThat(
            VideoTables.usage(
                video(
                    "NVIDIA GeForce RTX 3090", 95, OptionalDouble.empty(), OptionalDouble.empty())))
        .isEqualTo("95 GPU-s on NVIDIA GeForce RTX 3090");
    assertThat(VideoTables.usage(video("", 0, OptionalDouble.empty(), OptionalDouble.empty())))
        .isEmpty();
    assertThat(
            VideoTables.usage(
                video("", 10, OptionalDouble.of(0.34), OptionalDouble.of(10 / 3600.0 * 0.34))))
        .isEqualTo("10 GPU-s, $0.001 (at $0.34/h)");
  }

  @Test
  void videos_showGpuAndCost_asTableAndJson_unknownAsDashAndNull() {
    List<GeneratedVideo> videos =
        List.of(
            video(
                "NVIDIA GeForce RTX 4090", 360, OptionalDouble.of(0.69), OptionalDouble.of(0.069)),
            video("NVIDIA GeForce RTX 3090", 95, OptionalDouble.empty(), OptionalDouble.empty())
                .toBuilder()
                .id("v2")
                .build());

    String table = print(out -> VideoTables.videos(videos, false, out));
    String json = print(out -> VideoTables.videos(videos, true, out));

    assertThat(table).contains("GPU TIME", "COST", "NVIDIA GeForce RTX 4090", "360.0 s", "$0.07");
    assertThat(table.lines().filter(l -> l.startsWith("v2")).findFirst().orElseThrow())
        .contains("95.0 s")
        .doesNotContain("$");
    assertThat(json)
        .contains(
            "\"gpuType\" : \"NVIDIA GeForce RTX 4090\"",
            "\"pricePerHour\" : 0.69",
            "\"costUsd\" : 0.069",
            "\"pricePerHour\" : null",
            "\"costUsd\" : null");
  }

  @Test
  void pods_showPricePerHour_andTheEstimatedCostSinceTheyStarted() {
    Pod running =
        Pod.builder("p1")
            .rawStatus("RUNNING")
            .gpuType("NVIDIA GeForce RTX 4090")
            .cloudType(CloudType.COMMUNITY)
            .costPerHour(0.34)
            .createdAt(NOW.minusSeconds(36_000))
            .startedAt(NOW.minusSeconds(5_400))
            .build();
    Pod stopped =
        Pod.builder("p2")
            .status(PodStatus.EXITED)
            .gpuType("NVIDIA RTX A6000")
            .createdAt(NOW)
            .build();

    String table = print(out -> Tables.pods(List.of(running, stopped), Map.of(), NOW, false, out));
    String json = print(out -> Tables.pods(List.of(running, stopped), Map.of(), NOW, true, out));

    assertThat(table).contains("PRICE/H", "COST SINCE START");
    assertThat(table.lines().filter(l -> l.startsWith("p1")).findFirst().orElseThrow())
        .contains("$0.34", "~$0.51");
    assertThat(table.lines().filter(l -> l.startsWith("p2")).findFirst().orElseThrow())
        .doesNotContain("$");
    assertThat(json)
        .contains(
            "\"startedAt\" : \"2026-11-25T11:30:00Z\"",
            "\"estimatedCostSinceStart\" : 0.51",
            "\"estimatedCostSinceStart\" : null");
  }
}
