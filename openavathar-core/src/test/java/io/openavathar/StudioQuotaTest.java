package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.license.LicenseClient;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quota: checked before a job is accepted (counting jobs in flight), tracked once when it completes. */
class StudioQuotaTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A free device with a server-side daily count, like the license server. */
  static final class FakeLicense implements LicenseClient {
    final AtomicInteger used = new AtomicInteger();
    final AtomicInteger tracks = new AtomicInteger();
    volatile boolean pro;
    final AtomicBoolean trackFails = new AtomicBoolean();
    volatile boolean down;

    @Override
    public CompletableFuture<LicenseStatus> check() {
      if (down) {
        return CompletableFuture.failedFuture(
            new RemoteUnavailableException("license server unreachable (test)", null));
      }
      return CompletableFuture.completedFuture(pro ? LicenseStatus.pro(Optional.empty())
          : new LicenseStatus(false, used.get() < 1, used.get(), 1, Duration.ofHours(3).plusMinutes(54),
              Optional.empty()));
    }

    @Override
    public CompletableFuture<Integer> track() {
      tracks.incrementAndGet();
      if (trackFails.get()) {
        return CompletableFuture.failedFuture(new RemoteUnavailableException("down (test)", null));
      }
      return CompletableFuture.completedFuture(used.incrementAndGet());
    }

    @Override
    public CompletableFuture<LicenseStatus> activate(LicenseKey key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> deactivate(LicenseKey key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<LicenseInfo> validate(LicenseKey key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> upgradeUrl() {
      return Optional.of("https://openavathar.example/pro");
    }
  }

  @TempDir Path dir;
  ComfyUiSimulator sim;
  FakeLicense license = new FakeLicense();
  AvatarStudio studio;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    studio = AvatarStudio.builder().dataDirectory(dir.resolve("data")).comfyUrls(sim.baseUrl())
        .licenseClient(license).build();
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 4.0);
  }

  @AfterEach
  void tearDown() {
    studio.close();
    sim.close();
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(portrait).audio(speech).build();
  }

  @Test
  void freeDevice_twoQuickSubmits_cannotBothTakeTheLastFreeVideo() {
    sim.pauseExecution();
    GenerationJob first = studio.generate(request());

    assertThatThrownBy(() -> studio.generate(request()))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("1 in progress")
        .hasMessageContaining("resets in 3h 54m")
        .hasMessageContaining("https://openavathar.example/pro")
        .satisfies(e -> assertThat(((QuotaExceededException) e).resetsIn()).isEqualTo(Duration.ofMinutes(234)));

    sim.resumeExecution();
    first.await(WAIT);
    assertThat(license.tracks.get()).isEqualTo(1);
    assertThat(studio.store().pendingTracks()).isEmpty();
    assertThatThrownBy(() -> studio.generate(request())).isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("1 used");
  }

  @Test
  void aFailedGeneration_doesNotUseUpTheFreeVideo() {
    sim.failNextExecution("22", "RuntimeException", "boom");
    GenerationJob failed = studio.generate(request());
    assertThatThrownBy(() -> failed.await(WAIT)).isInstanceOf(GenerationFailedException.class);
    assertThat(license.tracks.get()).isZero();
    assertThat(studio.generate(request().toBuilder().seed(5).build()).await(WAIT).file()).exists();
    assertThat(license.tracks.get()).isEqualTo(1);
  }

  @Test
  void aFailedTrack_staysPending_andIsSentAgainOnce() {
    license.trackFails.set(true);
    studio.generate(request()).await(WAIT);
    assertThat(studio.store().pendingTracks()).hasSize(1);
    // In flight for the quota too: the device cannot start another free video meanwhile.
    assertThatThrownBy(() -> studio.generate(request())).isInstanceOf(QuotaExceededException.class);

    license.trackFails.set(false);
    studio.close();
    studio = AvatarStudio.builder().dataDirectory(dir.resolve("data")).comfyUrls(sim.baseUrl())
        .licenseClient(license).build(); // a new studio retries pending tracks when it starts
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!studio.store().pendingTracks().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(studio.store().pendingTracks()).isEmpty();
    assertThat(license.used.get()).isEqualTo(1);
  }

  @Test
  void proDevices_areNotCounted() {
    license.pro = true;
    studio.generate(request()).await(WAIT);
    studio.generate(request().toBuilder().seed(8).build()).await(WAIT);
    assertThat(studio.license()).isSameAs(license);
  }

  @Test
  void licenseServerUnreachable_failsBeforeAnythingIsSent() {
    license.down = true;
    assertThatThrownBy(() -> studio.generate(request()))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("license server unreachable");
    assertThat(sim.requests()).isEmpty();
  }
}
