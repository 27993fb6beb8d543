package io.openavathar.license.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteLicenseStoreTest extends LicenseStoreContract {
  @TempDir Path dir;

  @Override
  LicenseStore openEmptyStore() {
    return LicenseServer.openSqlite(dir);
  }
}
