package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.NoGpuAvailableException;
import io.openavathar.Setting;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.PodSpec;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * "No GPU" in the app's words: what was asked for, whether waiting helps, and what to change in
 * Settings.
 */
class RefusalsTest {
  static final GpuOffer RTX_4090 =
      new GpuOffer(
          "NVIDIA GeForce RTX 4090",
          "RTX 4090",
          24,
          CloudType.COMMUNITY,
          OptionalDouble.of(0.34),
          GpuType.Availability.LOW);

  @Test
  void everyCandidateRefused_saysNoneIsFreeRightNow_andOffersWaitingOrSettings() {
    NoGpuAvailableException e =
        new NoGpuAvailableException(
            List.of(new NoGpuAvailableException.Attempt(RTX_4090, "no capacity")),
            List.of(),
            List.of(Setting.MAX_PRICE, Setting.CLOUD),
            "");

    String m = Refusals.noGpu(e, PodSpec.builder().maxPricePerHour(0.50).build());

    assertThat(m)
        .isEqualTo(
            "No GPU under $0.50/h with 24 GB is free right now. Try again in a few minutes, or in"
                + " Settings raise the maximum price per hour or allow both clouds.");
  }

  @Test
  void namedGpusInOneCloud_areNamed_andNothingToChange_meansJustWait() {
    NoGpuAvailableException e =
        new NoGpuAvailableException(
            List.of(new NoGpuAvailableException.Attempt(RTX_4090, "no capacity")),
            List.of(),
            List.of(),
            "");

    String m =
        Refusals.noGpu(
            e,
            PodSpec.builder()
                .gpuTypes("NVIDIA GeForce RTX 4090")
                .clouds(CloudType.COMMUNITY)
                .build());

    assertThat(m)
        .isEqualTo(
            "None of your GPUs (NVIDIA GeForce RTX 4090) under $1.00/h in the community cloud is free"
                + " right now. Try again in a few minutes.");
  }
}
