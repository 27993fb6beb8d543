package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LicenseStore} must do; each implementation's test extends this with a fresh,
 * empty store.
 */
abstract class LicenseStoreContract {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final LocalDate DAY = LocalDate.parse("2026-03-10");
  LicenseStore store;

  /** A store with no licenses, activations or counts in it. */
  abstract LicenseStore openEmptyStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = openEmptyStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static LicenseRecord license(String key, String saleId, int maxActivations) {
    return new LicenseRecord(
        key,
        "buyer@example.com",
        saleId,
        NOW,
        maxActivations,
        "OpenAvathar Pro",
        2900,
        "usd",
        false,
        false);
  }

  @Test
  void storesAndFindsALicense_andASaleOnlyOnce() {
    LicenseRecord l = license("OAVR-AAAA-BBBB-CCCC-DDDD", "S1", 3);
    assertThat(store.insertLicense(l)).isTrue();
    assertThat(store.findLicense(l.key())).contains(l);
    assertThat(store.insertLicense(license("OAVR-EEEE-FFFF-GGGG-HHHH", "S1", 3))).isFalse();
    assertThat(store.findLicense("OAVR-EEEE-FFFF-GGGG-HHHH")).isEmpty();
    LicenseRecord granted =
        new LicenseRecord(
            "OAVR-JJJJ-KKKK-LLLL-MMMM", "a@example.com", null, NOW, 1, null, 0, null, true, false);
    assertThat(store.insertLicense(granted)).isTrue();
    assertThat(
            store.insertLicense(
                new LicenseRecord(
                    "OAVR-NNNN-PPPP-QQQQ-RRRR",
                    "b@example.com",
                    null,
                    NOW,
                    1,
                    null,
                    0,
                    null,
                    false,
                    false)))
        .as("licenses without a sale id do not clash")
        .isTrue();
    assertThat(store.findLicense(granted.key())).contains(granted);
  }

  @Test
  void aTakenKeyFails_withoutTheKeyInTheMessage() {
    String key = "OAVR-AAAA-BBBB-CCCC-DDDD";
    store.insertLicense(license(key, "S1", 3));
    assertThatThrownBy(() -> store.insertLicense(license(key, "S2", 3)))
        .isInstanceOf(LicenseStoreException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key));
  }

  @Test
  void activation_bindsUpToTheLimit_andKnowsEachOutcome() {
    String key = "OAVR-AAAA-BBBB-CCCC-DDDD";
    assertThat(store.activate(key, "d1", NOW)).isEqualTo(ActivationResult.NOT_FOUND);
    store.insertLicense(license(key, "S1", 2));
    assertThat(store.activate(key, "d1", NOW)).isEqualTo(ActivationResult.ACTIVATED);
    assertThat(store.activate(key, "d1", NOW)).isEqualTo(ActivationResult.ALREADY_ACTIVE);
    assertThat(store.activate(key, "d2", NOW)).isEqualTo(ActivationResult.ACTIVATED);
    assertThat(store.activate(key, "d3", NOW)).isEqualTo(ActivationResult.LIMIT_REACHED);
    assertThat(store.activationCount(key)).isEqualTo(2);
    assertThat(store.deactivate(key, "d1")).isTrue();
    assertThat(store.deactivate(key, "d1")).isFalse();
    assertThat(store.activate(key, "d3", NOW)).isEqualTo(ActivationResult.ACTIVATED);
    assertThat(store.knowsDevice("d3")).isTrue();
    assertThat(store.deviceStatus("d3", DAY)).isEqualTo(new DeviceStatus(key, 0));
  }

  @Test
  void aDeviceMovesToAnotherLicense_andTheOldOneGetsItsSeatBack() {
    store.insertLicense(license("OAVR-AAAA-AAAA-AAAA-AAAA", "S1", 1));
    store.insertLicense(license("OAVR-BBBB-BBBB-BBBB-BBBB", "S2", 1));
    store.activate("OAVR-AAAA-AAAA-AAAA-AAAA", "d1", NOW);
    assertThat(store.activate("OAVR-BBBB-BBBB-BBBB-BBBB", "d1", NOW))
        .isEqualTo(ActivationResult.ACTIVATED);
    assertThat(store.activationCount("OAVR-AAAA-AAAA-AAAA-AAAA")).isZero();
    assertThat(store.deviceStatus("d1", DAY).licenseKey()).isEqualTo("OAVR-BBBB-BBBB-BBBB-BBBB");
  }

  @Test
  void revokingASale_freesItsDevices_andBlocksActivation() {
    String key = "OAVR-AAAA-BBBB-CCCC-DDDD";
    store.insertLicense(license(key, "S1", 3));
    store.activate(key, "d1", NOW);
    assertThat(store.revokeSale("S1")).isTrue();
    assertThat(store.revokeSale("unknown")).isFalse();
    assertThat(store.findLicense(key).orElseThrow().revoked()).isTrue();
    assertThat(store.deviceStatus("d1", DAY).licenseKey()).isNull();
    assertThat(store.activate(key, "d2", NOW)).isEqualTo(ActivationResult.REVOKED);
  }

  @Test
  void dailyCounts_arePerDeviceAndDay() {
    assertThat(store.knowsDevice("d1")).isFalse();
    assertThat(store.incrementDaily("d1", DAY)).isEqualTo(1);
    assertThat(store.incrementDaily("d1", DAY)).isEqualTo(2);
    assertThat(store.incrementDaily("d1", DAY.plusDays(1))).isEqualTo(1);
    assertThat(store.deviceStatus("d1", DAY)).isEqualTo(new DeviceStatus(null, 2));
    assertThat(store.deviceStatus("d2", DAY)).isEqualTo(new DeviceStatus(null, 0));
    assertThat(store.knowsDevice("d1")).isTrue();
  }

  @Test
  void aRequestIdCountsOnce_andIsForgottenAfterTheRetention() {
    assertThat(store.incrementDailyOnce("d1", "r1", DAY, NOW)).isEqualTo(new TrackOutcome(true, 1));
    assertThat(store.incrementDailyOnce("d1", "r1", DAY, NOW.plusSeconds(60)))
        .isEqualTo(new TrackOutcome(false, 1));
    assertThat(store.incrementDailyOnce("d2", "r1", DAY, NOW))
        .as("ids are per device")
        .isEqualTo(new TrackOutcome(true, 1));
    Instant later = NOW.plus(LicenseStore.TRACKED_ID_RETENTION).plusSeconds(1);
    assertThat(store.incrementDailyOnce("d1", "r1", DAY, later))
        .isEqualTo(new TrackOutcome(true, 2));
  }

  @Test
  void concurrentIncrements_loseNothing() throws Exception {
    List<Integer> counts = Race.run(100, i -> store.incrementDaily("d1", DAY));
    assertThat(counts).doesNotHaveDuplicates().hasSize(100);
    assertThat(store.deviceStatus("d1", DAY).usedToday()).isEqualTo(100);
  }

  @Test
  void concurrentRepeatsOfOneRequestId_countOnce() throws Exception {
    List<TrackOutcome> outcomes =
        Race.run(40, i -> store.incrementDailyOnce("d1", "job-1", DAY, NOW));
    assertThat(outcomes.stream().filter(TrackOutcome::counted)).hasSize(1);
    assertThat(outcomes).allMatch(o -> o.count() == 1);
  }

  @Test
  void concurrentActivations_admitExactlyTheLimit() throws Exception {
    String key = "OAVR-AAAA-BBBB-CCCC-DDDD";
    store.insertLicense(license(key, "S1", 3));
    List<ActivationResult> results = Race.run(20, i -> store.activate(key, "device-" + i, NOW));
    assertThat(results.stream().filter(r -> r == ActivationResult.ACTIVATED)).hasSize(3);
    assertThat(results.stream().filter(r -> r == ActivationResult.LIMIT_REACHED)).hasSize(17);
    assertThat(store.activationCount(key)).isEqualTo(3);
  }
}
