package io.openavathar.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.NoGpuAvailableException;
import io.openavathar.PodProvisioningException;
import io.openavathar.Setting;
import io.openavathar.pod.GpuSelection.Exclusion;
import io.openavathar.pod.GpuSelection.Reason;
import io.openavathar.pod.GpuType.Availability;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GpuSelectionTest {
  static final String RTX_4090 = PodSpec.DEFAULT_GPU_TYPE;
  static final String A6000 = "NVIDIA RTX A6000";
  static final String A100 = "NVIDIA A100 80GB PCIe";
  static final String RTX_3090 = "NVIDIA GeForce RTX 3090";
  static final String L4 = "NVIDIA L4";

  static GpuType gpu(String id, int gb, double secure, double community, Availability stock) {
    return new GpuType(id, GpuSelection.shortName(id), gb, price(secure), price(community), stock);
  }

  static OptionalDouble price(double p) {
    return p > 0 ? OptionalDouble.of(p) : OptionalDouble.empty();
  }

  static List<String> ids(List<GpuOffer> offers) {
    return offers.stream().map(GpuOffer::toString).toList();
  }

  static final List<GpuType> COMMUNITY =
      List.of(
          gpu(RTX_4090, 24, 0.69, 0.34, Availability.HIGH),
          gpu(A6000, 48, 0.49, 0.33, Availability.HIGH),
          gpu(A100, 80, 1.64, 1.19, Availability.MEDIUM),
          gpu(L4, 24, 0.43, 0, Availability.NONE),
          gpu(RTX_3090, 24, 0.43, 0.22, Availability.LOW),
          gpu("NVIDIA RTX A4000", 16, 0.32, 0.17, Availability.HIGH));
  static final List<GpuType> SECURE =
      List.of(
          gpu(RTX_4090, 24, 0.69, 0.34, Availability.NONE),
          gpu(A6000, 48, 0.49, 0.33, Availability.MEDIUM),
          gpu(A100, 80, 1.64, 1.19, Availability.LOW),
          gpu(L4, 24, 0.43, 0, Availability.HIGH),
          gpu(RTX_3090, 24, 0.43, 0.22, Availability.LOW),
          gpu("NVIDIA RTX A4000", 16, 0.32, 0.17, Availability.HIGH));
  static final Map<CloudType, List<GpuType>> CATALOG =
      Map.of(CloudType.COMMUNITY, COMMUNITY, CloudType.SECURE, SECURE);

  @Test
  void defaultSpecChoosesByNeedInCommunityThenSecure() {
    PodSpec spec = PodSpec.builder().build();
    assertThat(spec.choosesGpusByNeed()).isTrue();
    assertThat(spec.clouds()).containsExactly(CloudType.COMMUNITY, CloudType.SECURE);
    assertThat(spec.minGpuMemoryGb()).isEqualTo(PodSpec.DEFAULT_MIN_GPU_MEMORY_GB).isEqualTo(24);
    assertThat(spec.maxPricePerHour())
        .isEqualTo(PodSpec.DEFAULT_MAX_PRICE_PER_HOUR)
        .isEqualTo(1.00);
  }

  @Test
  void theRtx4090LeadsOnCommunityThenCheapestFirstThenSecure() {
    GpuSelection s = GpuSelection.of(PodSpec.builder().build(), CATALOG);

    // 4090 first although the 3090 and A6000 are cheaper; the A100 is over $1.00; secure: A6000 and
    // 3090 by price.
    assertThat(ids(s.offers()))
        .containsExactly(
            "RTX 4090/community",
            "RTX 3090/community",
            "RTX A6000/community",
            "L4/secure",
            "RTX 3090/secure",
            "RTX A6000/secure");
    assertThat(s.offers().get(0).pricePerHour()).hasValue(0.34);
    assertThat(s.excluded())
        .contains(
            new Exclusion(A100, "A100 80GB PCIe", CloudType.COMMUNITY, Reason.OVER_PRICE_CAP),
            new Exclusion(L4, "L4", CloudType.COMMUNITY, Reason.NOT_OFFERED_IN_CLOUD),
            new Exclusion(
                "NVIDIA RTX A4000", "RTX A4000", CloudType.COMMUNITY, Reason.TOO_LITTLE_MEMORY),
            new Exclusion(RTX_4090, "RTX 4090", CloudType.SECURE, Reason.NO_STOCK));
  }

  @Test
  void theRtx4090DoesNotLeadWhenItDoesNotQualify() {
    GpuSelection s = GpuSelection.of(PodSpec.builder().minGpuMemoryGb(40).build(), CATALOG);

    assertThat(ids(s.offers())).containsExactly("RTX A6000/community", "RTX A6000/secure");
    assertThat(s.limitsToRelax()).containsExactly(Setting.MIN_GPU_MEMORY, Setting.MAX_PRICE);
  }

  @Test
  void moreStockBreaksPriceTies() {
    List<GpuType> tie =
        List.of(
            gpu("B", 24, 0, 0.40, Availability.LOW),
            gpu("A", 24, 0, 0.40, Availability.UNKNOWN),
            gpu("C", 24, 0, 0.40, Availability.HIGH));
    GpuSelection s =
        GpuSelection.of(
            PodSpec.builder().clouds(CloudType.COMMUNITY).build(),
            Map.of(CloudType.COMMUNITY, tie));

    assertThat(s.offers()).extracting(GpuOffer::gpuId).containsExactly("C", "B", "A");
  }

  @Test
  void thePriceCapCoversTheWholePod() {
    PodSpec twoGpus =
        PodSpec.builder().gpuCount(2).maxPricePerHour(0.60).clouds(CloudType.COMMUNITY).build();

    GpuSelection s = GpuSelection.of(twoGpus, CATALOG);

    assertThat(ids(s.offers())).containsExactly("RTX 3090/community");
    assertThat(s.offers().get(0).pricePerHour()).hasValue(0.44);
  }

  @Test
  void anExplicitListKeepsItsOrderAndTheMoneyGuardButNotTheMemoryFloor() {
    PodSpec spec =
        PodSpec.builder()
            .gpuTypes(A100, "NVIDIA RTX A4000", RTX_4090, "NVIDIA Made Up")
            .minGpuMemoryGb(48)
            .build();

    GpuSelection s = GpuSelection.of(spec, CATALOG);

    assertThat(ids(s.offers()))
        .containsExactly(
            "RTX A4000/community",
            "RTX 4090/community",
            "Made Up/community",
            "RTX A4000/secure",
            "Made Up/secure");
    assertThat(s.offers().get(2).pricePerHour()).isEmpty();
    assertThat(s.excluded())
        .containsExactly(
            new Exclusion(A100, "A100 80GB PCIe", CloudType.COMMUNITY, Reason.OVER_PRICE_CAP),
            new Exclusion(A100, "A100 80GB PCIe", CloudType.SECURE, Reason.OVER_PRICE_CAP),
            new Exclusion(RTX_4090, "RTX 4090", CloudType.SECURE, Reason.NO_STOCK));
  }

  @Test
  void withoutCatalogAnExplicitListIsTriedUnpricedAndNeedFindsNothing() {
    PodSpec explicit =
        PodSpec.builder()
            .gpuTypes(A6000, RTX_4090)
            .clouds(CloudType.SECURE, CloudType.COMMUNITY)
            .build();

    assertThat(ids(GpuSelection.withoutCatalog(explicit).offers()))
        .containsExactly(
            "RTX A6000/secure", "RTX 4090/secure", "RTX A6000/community", "RTX 4090/community");
    assertThat(GpuSelection.withoutCatalog(PodSpec.builder().build()).offers()).isEmpty();
  }

  @Test
  void theDefaultProviderOffersTheExplicitListOrAsksForOne() {
    PodProvider none =
        new PodProvider() {
          @Override
          public String name() {
            return "static";
          }

          @Override
          public CompletableFuture<List<Pod>> listPods() {
            return CompletableFuture.completedFuture(List.of());
          }
        };

    assertThat(none.offers(PodSpec.builder().gpuTypes(A6000).build()).join())
        .containsExactly(
            new GpuOffer(
                A6000,
                "RTX A6000",
                0,
                CloudType.COMMUNITY,
                OptionalDouble.empty(),
                Availability.UNKNOWN),
            new GpuOffer(
                A6000,
                "RTX A6000",
                0,
                CloudType.SECURE,
                OptionalDouble.empty(),
                Availability.UNKNOWN));
    assertThatThrownBy(() -> none.offers(PodSpec.builder().build()).join())
        .hasCauseInstanceOf(PodProvisioningException.class)
        .cause()
        .hasMessageContaining("no GPU catalog")
        .hasMessageContaining("the pod spec's gpuTypes");
  }

  @Test
  void specValidatesAndKeepsTheNewFieldsInEqualsAndToBuilder() {
    PodSpec spec = PodSpec.builder().minGpuMemoryGb(40).maxPricePerHour(0.5).build();

    assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
    assertThat(spec).isNotEqualTo(PodSpec.builder().minGpuMemoryGb(40).build());
    assertThat(spec.toString()).contains("by need", "minGpuMemoryGb=40", "maxPricePerHour=0.5");
    assertThatThrownBy(() -> PodSpec.builder().minGpuMemoryGb(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PodSpec.builder().maxPricePerHour(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PodSpec.builder().maxPricePerHour(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PodSpec.builder().clouds().build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theNoGpuMessageNamesTheLimitsTheWayTheFrontEndDoes() {
    GpuSelection s =
        GpuSelection.of(
            PodSpec.builder().maxPricePerHour(0.1).clouds(CloudType.COMMUNITY).build(), CATALOG);
    NoGpuAvailableException e =
        new NoGpuAvailableException(List.of(), s.excluded(), List.copyOf(s.limitsToRelax()), "");

    assertThat(s.offers()).isEmpty();
    assertThat(e.tried()).isEmpty();
    assertThat(e.canRetry()).isFalse();
    assertThat(e.getMessage())
        .startsWith(
            "No GPU qualifies for the pod: left out RTX 4090/community (over the price cap)")
        .endsWith(
            "Relax the pod spec's minGpuMemoryGb, the pod spec's maxPricePerHour or the pod spec's clouds.");
    assertThat(e.getMessage(setting -> "--" + setting.name().toLowerCase(java.util.Locale.ROOT)))
        .endsWith("Relax --min_gpu_memory, --max_price or --cloud.");
    assertThat(e.setting()).contains(Setting.MIN_GPU_MEMORY);
  }
}
