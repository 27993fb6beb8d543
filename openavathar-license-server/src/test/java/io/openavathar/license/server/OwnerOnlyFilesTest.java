package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * licenses.db and its WAL/SHM files hold every key and buyer e-mail: owner-only, whatever the
 * umask.
 */
class OwnerOnlyFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "needs POSIX permissions");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void newDataDirectory_is0700_andDatabaseWalShm_are0600_whileServing() throws IOException {
    Path data = dir.resolve("new").resolve("data");
    try (LicenseServer server = LicenseServer.builder().dataDirectory(data).start()) {
      server.issueLicense("buyer@example.com");
      assertThat(
              new Http(server.baseUrl())
                  .post("/api/generation/track", "{\"fingerprint\":\"f\"}")
                  .status())
          .isEqualTo(200);

      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(data.resolve("licenses.db"))).isEqualTo("rw-------");
      assertThat(data.resolve("licenses.db-wal")).exists();
      assertThat(mode(data.resolve("licenses.db-wal"))).isEqualTo("rw-------");
      assertThat(mode(data.resolve("licenses.db-shm"))).isEqualTo("rw-------");
    }
  }

  @Test
  void existingWorldReadableDatabase_isTightened() throws IOException {
    Path db = dir.resolve("licenses.db");
    try (LicenseStore store = LicenseServer.openSqlite(dir)) {
      store.incrementDaily("f", java.time.LocalDate.of(2026, 3, 10));
    }
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

    try (LicenseStore store = LicenseServer.openSqlite(dir)) {
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(store.knowsDevice("f")).isTrue();
      assertThat(store.knowsDevice("g")).isFalse();
    }
  }
}
