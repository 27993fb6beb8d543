package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.LicenseRejectedException;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.license.client.HttpLicenseClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's HTTP client against our own server, in-process: the two sides of one protocol. */
class ClientAgainstServerTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T20:06:00Z"));
  LicenseServer server;

  @BeforeEach
  void start() {
    server =
        LicenseServer.builder().port(0).dataDirectory(dir.resolve("server")).clock(clock).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpLicenseClient device(String id) {
    return HttpLicenseClient.builder()
        .baseUrl(server.baseUrl())
        .clock(clock)
        .fingerprint(DeviceFingerprint.of("device-" + id))
        .stateDirectory(dir.resolve("state-" + id))
        .initialBackoff(Duration.ofMillis(1))
        .build();
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void freeDevice_countsOneVideoPerUtcDay() {
    HttpLicenseClient a = device("a");
    LicenseStatus before = join(a.check());
    assertThat(before.pro()).isFalse();
    assertThat(before.canGenerate()).isTrue();
    assertThat(before.limit()).isEqualTo(1);
    assertThat(before.resetsIn()).isEqualTo(Duration.ofHours(3).plusMinutes(54));

    assertThat(join(a.track())).isEqualTo(1);
    LicenseStatus after = join(a.check());
    assertThat(after.used()).isEqualTo(1);
    assertThat(after.canGenerate()).isFalse();

    clock.set(Instant.parse("2026-03-11T00:00:01Z"));
    assertThat(join(a.check()).canGenerate()).isTrue();
  }

  @Test
  void proKey_activatesOnThreeDevices_checkMasksTheKey_andDeactivateFreesASeat() {
    LicenseKey key = server.issueLicense("buyer@example.com");
    for (String id : new String[] {"a", "b", "c"}) {
      assertThat(join(device(id).activate(key)).pro()).isTrue();
    }
    assertThat(join(device("a").activate(key)).pro()).isTrue(); // idempotent
    assertThatThrownBy(() -> join(device("d").activate(key)))
        .isInstanceOf(LicenseRejectedException.class)
        .hasMessageContaining("3 devices")
        .hasMessageNotContaining(key.value());

    LicenseStatus pro = join(device("b").check());
    assertThat(pro.pro()).isTrue();
    assertThat(pro.licenseKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(key.masked()));
    assertThat(join(device("b").track())).isZero();

    LicenseInfo info = join(device("b").validate(key));
    assertThat(info.valid()).isTrue();
    assertThat(info.activationsUsed()).isEqualTo(3);
    assertThat(info.maxActivations()).isEqualTo(3);

    join(device("c").deactivate(key));
    assertThat(join(device("c").check()).pro()).isFalse();
    assertThat(join(device("d").activate(key)).pro()).isTrue();
  }

  @Test
  void unknownKey_isRejected_andValidateSaysInvalid() {
    LicenseKey unknown = LicenseKey.parse("OAVR-AAAA-BBBB-CCCC-DDDD");
    assertThatThrownBy(() -> join(device("a").activate(unknown)))
        .isInstanceOf(LicenseRejectedException.class);
    assertThat(join(device("a").validate(unknown)).valid()).isFalse();
  }
}
