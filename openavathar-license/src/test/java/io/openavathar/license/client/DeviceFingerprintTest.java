package io.openavathar.license.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceFingerprintTest {
  @TempDir Path dir;

  private static Supplier<Optional<String>> machine(String id) {
    return () -> Optional.of(id);
  }

  @Test
  void forApp_sameMachineAndApp_isStableAnd64Hex() {
    DeviceFingerprint a =
        DeviceFingerprint.forApp("openavathar", machine("4c4c4544-0042"), dir.resolve("id"));
    DeviceFingerprint b =
        DeviceFingerprint.forApp("openavathar", machine("4c4c4544-0042\n"), dir.resolve("id"));

    assertThat(a).isEqualTo(b);
    assertThat(a.value())
        .matches("[0-9a-f]{64}")
        .isEqualTo(DeviceFingerprint.sha256Hex("4c4c4544-0042|openavathar"));
    assertThat(a.value()).doesNotContain("4c4c4544");
    assertThat(Files.exists(dir.resolve("id"))).isFalse();
  }

  @Test
  void forApp_differsPerAppAndPerMachine() {
    DeviceFingerprint base =
        DeviceFingerprint.forApp("openavathar", machine("m1"), dir.resolve("id"));

    assertThat(DeviceFingerprint.forApp("other-app", machine("m1"), dir.resolve("id")))
        .isNotEqualTo(base);
    assertThat(DeviceFingerprint.forApp("openavathar", machine("m2"), dir.resolve("id")))
        .isNotEqualTo(base);
  }

  @Test
  void forApp_withoutMachineId_createsFallbackFileOnceAndReusesIt() throws Exception {
    Path file = dir.resolve("nested").resolve("device-id");
    AtomicInteger asked = new AtomicInteger();
    Supplier<Optional<String>> none =
        () -> {
          asked.incrementAndGet();
          return Optional.of("  ");
        };

    DeviceFingerprint first = DeviceFingerprint.forApp("openavathar", none, file);
    String id = Files.readString(file, StandardCharsets.UTF_8).trim();
    DeviceFingerprint second = DeviceFingerprint.forApp("openavathar", none, file);

    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(file, StandardCharsets.UTF_8).trim()).isEqualTo(id);
    assertThat(first.value()).isEqualTo(DeviceFingerprint.sha256Hex(id + "|openavathar"));
    assertThat(asked).hasValue(2);
  }

  @Test
  void forApp_whenFallbackFileIsGarbage_failsSayingWhatToDo() throws Exception {
    Path file = dir.resolve("device-id");
    Files.writeString(file, "not an id");

    assertThatThrownBy(() -> DeviceFingerprint.forApp("openavathar", Optional::empty, file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("or a fixed fingerprint");
  }

  @Test
  void of_acceptsCustomValues_andRejectsBlankOrUnsafe() {
    assertThat(DeviceFingerprint.of("abc123def456").value()).isEqualTo("abc123def456");
    assertThatThrownBy(() -> DeviceFingerprint.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceFingerprint.of("a b&c"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_showsAPrefixOnly() {
    DeviceFingerprint f = DeviceFingerprint.forApp("openavathar", machine("m1"), dir.resolve("id"));

    assertThat(f.toString())
        .startsWith("DeviceFingerprint[" + f.value().substring(0, 8))
        .doesNotContain(f.value());
  }

  @Test
  void machineIdentity_readsMacAndWindowsOutputsAndLinuxFiles() throws Exception {
    assertThat(
            MachineIdentity.macUuid(
                "    \"IOPlatformUUID\" = \"A1B2C3D4-0000-1111-2222-333344445555\"\n"))
        .contains("A1B2C3D4-0000-1111-2222-333344445555");
    assertThat(
            MachineIdentity.windowsGuid(
                "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    "
                    + "5e6f7a8b-1234-5678-9abc-def012345678\r\n"))
        .contains("5e6f7a8b-1234-5678-9abc-def012345678");
    assertThat(MachineIdentity.macUuid("nothing here")).isEmpty();
    Path blank = Files.writeString(dir.resolve("blank"), "\n");
    Path real = Files.writeString(dir.resolve("machine-id"), "0123456789abcdef\n");
    assertThat(MachineIdentity.firstFile(dir.resolve("missing"), blank, real))
        .contains("0123456789abcdef");
  }
}
