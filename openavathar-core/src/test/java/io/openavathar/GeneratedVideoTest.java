package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GeneratedVideoTest {
  static GeneratedVideo video() {
    return GeneratedVideo.builder()
        .id("v")
        .jobId("j")
        .podId("p")
        .promptId("q")
        .remoteFile("output/a.mp4")
        .file(Path.of("a.mp4"))
        .sizeBytes(10)
        .size(480, 832)
        .frames(50)
        .duration(Duration.ofSeconds(2))
        .seed(7)
        .gpuType("NVIDIA RTX A6000")
        .gpuSeconds(12.5)
        .createdAt(Instant.EPOCH)
        .build();
  }

  @Test
  void equalsAndHashCode_includeGpuTypeAndSeconds_andToBuilderRoundTrips() {
    GeneratedVideo v = video();

    assertThat(v.toBuilder().build()).isEqualTo(v).hasSameHashCodeAs(v);
    assertThat(v.toBuilder().gpuType("").build()).isNotEqualTo(v);
    assertThat(v.toBuilder().gpuSeconds(1).build()).isNotEqualTo(v);
    GeneratedVideo priced =
        v.toBuilder()
            .pricePerHour(java.util.OptionalDouble.of(0.49))
            .costUsd(java.util.OptionalDouble.of(0.0017))
            .build();
    assertThat(priced).isNotEqualTo(v);
    assertThat(priced.toBuilder().build()).isEqualTo(priced).hasSameHashCodeAs(priced);
    assertThat(priced.toBuilder().costUsd(java.util.OptionalDouble.empty()).build())
        .isNotEqualTo(priced);
    assertThat(v.pricePerHour()).isEmpty();
    assertThat(v.costUsd()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> v.toBuilder().costUsd(java.util.OptionalDouble.of(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("costUsd");
    assertThat(
            GeneratedVideo.builder()
                .id("v")
                .jobId("j")
                .podId("p")
                .promptId("q")
                .remoteFile("r")
                .file(Path.of("a"))
                .createdAt(Instant.EPOCH)
                .build()
                .gpuType())
        .isEmpty();
    assertThat(v.toString()).contains("id=v", "pod=p");
  }
}
