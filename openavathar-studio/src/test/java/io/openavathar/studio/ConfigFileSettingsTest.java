package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileSettingsTest {
  @TempDir Path dir;

  @Test
  void put_get_andABlankValueRemovesTheKey() {
    ConfigFileSettings settings = new ConfigFileSettings(dir.resolve("data"));
    assertThat(settings.get(Settings.IDLE_MINUTES)).isEmpty();

    settings.put(Settings.IDLE_MINUTES, " 20 ");
    settings.put(Settings.COMFY_URL, "http://127.0.0.1:8188");
    settings.remove(Settings.COMFY_URL);

    ConfigFileSettings again = new ConfigFileSettings(dir.resolve("data"));
    assertThat(again.get(Settings.IDLE_MINUTES)).contains("20");
    assertThat(again.get(Settings.COMFY_URL)).isEmpty();
  }

  @Test
  void theFileIsOwnerOnly_andKeysAreTheCliLongOptionNames() throws Exception {
    new ConfigFileSettings(dir.resolve("data")).put(Settings.RUNPOD_API_KEY, "rpa_X");

    Path file = dir.resolve("data").resolve("config.properties");
    assertThat(Files.readAllLines(file)).contains("runpod-api-key=rpa_X");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
    try (var files = Files.list(dir.resolve("data"))) {
      assertThat(files).as("no temporary file left").hasSize(1);
    }
  }
}
