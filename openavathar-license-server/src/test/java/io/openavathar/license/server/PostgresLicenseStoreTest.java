package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresExtension;
import io.openavathar.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real PostgreSQL (one database for the class, emptied before each test).
 */
@ExtendWith(PostgresExtension.class)
class PostgresLicenseStoreTest extends LicenseStoreContract {
  static PostgresDatabase db;

  @BeforeAll
  static void database(PostgresDatabase database) {
    db = database;
  }

  @Override
  LicenseStore openEmptyStore() throws Exception {
    LicenseStore s = new PostgresLicenseStore(db.jdbcUrlWithUser(), db.password(), 4);
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE activations, daily_counts, tracked_requests, licenses");
    }
    return s;
  }

  @Test
  void theSchemaIsVersionedByFlyway_asSqlitesVersions1And2() throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT MAX(version::int) FROM flyway_schema_history WHERE success")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(SqliteLicenseStore.SCHEMA_VERSION);
    }
  }

  @Test
  void thePasswordMayComeFromTheUrl_andIsNeverShown() {
    String url = db.jdbcUrlWithUser() + "&password=" + db.password();
    try (LicenseStore s = new PostgresLicenseStore(url, null, 2)) {
      assertThat(s.findLicense("OAVR-AAAA-BBBB-CCCC-DDDD")).isEmpty();
      assertThat(s.toString()).contains(db.jdbcUrl()).doesNotContain(db.password());
    }
  }

  @Test
  void aWrongPassword_failsSayingWhatToCheck_withoutThePassword() {
    String wrong = "not-" + db.password();
    assertThatThrownBy(
            () -> new PostgresLicenseStore(db.jdbcUrlWithUser() + "&password=" + wrong, null, 2))
        .isInstanceOf(LicenseStoreException.class)
        .hasMessageContaining(db.jdbcUrlWithUser())
        .hasMessageContaining("OPENAVATHAR_DB_PASSWORD")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
  }

  @Test
  void aUrlThatIsNotPostgres_isRefusedWithAnExample() {
    assertThatThrownBy(
            () -> LicenseServer.builder().databaseUrl("jdbc:mysql://db/licenses?password=hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql://")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void serversStartingTogether_migrateOnce() throws Exception {
    PostgresDatabase fresh = PostgresServer.shared().createDatabase("migrate_race");
    var stores =
        Race.run(4, i -> new PostgresLicenseStore(fresh.jdbcUrlWithUser(), fresh.password(), 2));
    stores.forEach(LicenseStore::close);
    try (Connection c = fresh.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void anSqliteDatabaseIsCopiedOver_andCopyingAgainAddsNothing(@TempDir Path dir) {
    String key = "OAVR-AAAA-BBBB-CCCC-DDDD";
    try (LicenseStore sqlite = LicenseServer.openSqlite(dir)) {
      sqlite.insertLicense(license(key, "S1", 3));
      sqlite.activate(key, "d1", NOW);
      sqlite.incrementDaily("d2", DAY);
      sqlite.incrementDailyOnce("d2", "job-1", DAY, NOW);
    }
    Map<String, Integer> copied =
        LicenseServer.copySqliteToPostgres(dir, db.jdbcUrlWithUser(), db.password());
    assertThat(copied)
        .containsExactly(
            entry("licenses", 1),
            entry("activations", 1),
            entry("daily_counts", 1),
            entry("tracked_requests", 1));
    assertThat(store.findLicense(key)).contains(license(key, "S1", 3));
    assertThat(store.deviceStatus("d1", DAY)).isEqualTo(new DeviceStatus(key, 0));
    assertThat(store.deviceStatus("d2", DAY)).isEqualTo(new DeviceStatus(null, 2));
    assertThat(store.incrementDailyOnce("d2", "job-1", DAY, NOW).counted()).isFalse();
    assertThat(
            LicenseServer.copySqliteToPostgres(dir, db.jdbcUrlWithUser(), db.password()).values())
        .containsOnly(0);
  }
}
