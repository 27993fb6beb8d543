package io.openavathar.store;

import io.openavathar.OpenAvatharException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the current schema: ordered SQL scripts in {@code
 * io/openavathar/store/migrations/}, each applied in its own transaction and recorded in {@code
 * schema_version}. Safe when two processes open a fresh file at once: each migration re-reads the
 * version inside its {@code BEGIN IMMEDIATE} transaction.
 *
 * <p>To change the schema, add {@code V<n>__<what>.sql} and append it to {@link #SCRIPTS}, and add
 * the same version, in PostgreSQL's types, to {@code io/openavathar/store/postgresql/} (Flyway
 * migrates PostgreSQL stores, see {@link PostgresStoreDatabase}); never edit a released one.
 *
 * <p>SQLite stays on these hand-written migrations rather than Flyway: they take the write lock for
 * each step ({@code BEGIN IMMEDIATE}) on the store's single connection, which is also the only way
 * to migrate a private in-memory database; existing {@code studio.db} files keep their {@code
 * schema_version}; and an app using SQLite does not need Flyway.
 */
final class SchemaMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  /** The scripts in order; script {@code i} (from 0) takes the schema to version {@code i + 1}. */
  static final List<String> SCRIPTS =
      List.of(
          "V1__init.sql",
          "V2__newest_first_indexes.sql",
          "V3__job_comfy_url.sql",
          "V4__pod_intents.sql",
          "V5__costs_and_boots.sql",
          "V6__job_client_id.sql",
          "V7__shared_claims.sql");

  /** The schema version this SDK writes. */
  static final int LATEST = SCRIPTS.size();

  private SchemaMigrations() {}

  /**
   * Migrates {@code db} up to {@code target} (normally {@link #LATEST}; lower only in tests) and
   * returns the version it is at. Fails if the database is newer than this SDK.
   */
  static int migrate(SqliteDatabase db, int target) {
    if (target < 1 || target > LATEST) {
      throw new IllegalArgumentException(
          "target schema must be between 1 and " + LATEST + ", was " + target);
    }
    int current = db.call("read the schema version", SchemaMigrations::currentVersion);
    checkNotNewer(db.description(), current, "use another data directory");
    for (int version = current + 1; version <= target; version++) {
      int next = version;
      db.transaction(
          "migrate to schema " + next,
          c -> {
            createVersionTable(c);
            int now = currentVersion(c); // another process may have migrated since we looked
            checkNotNewer(db.description(), now, "use another data directory");
            if (now < next) {
              for (String sql : statements(SCRIPTS.get(next - 1))) {
                try (Statement st = c.createStatement()) {
                  st.execute(sql);
                }
              }
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                ps.setInt(1, next);
                ps.setString(2, StoreTime.text(Instant.now()));
                ps.executeUpdate();
              }
              LOG.debug(
                  "Migrated {} to schema {} ({})", db.description(), next, SCRIPTS.get(next - 1));
            }
            return null;
          });
    }
    return db.call("read the schema version", SchemaMigrations::currentVersion);
  }

  /** The highest applied version, 0 for a database without the version table. */
  static int currentVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
      if (!rs.next() || rs.getInt(1) == 0) {
        return 0;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void createVersionTable(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
    }
  }

  /**
   * Fails if a database at {@code version} is newer than this SDK; {@code alternative} is the other
   * way out ("use another data directory").
   */
  static void checkNotNewer(String description, int version, String alternative) {
    if (version > LATEST) {
      throw new OpenAvatharException(
          description
              + " is at schema "
              + version
              + " but this SDK knows "
              + LATEST
              + ": upgrade the SDK, or "
              + alternative);
    }
  }

  /** A script's statements: comment lines dropped, split at semicolons that end a line. */
  static List<String> statements(String script) {
    String text;
    try (InputStream in = SchemaMigrations.class.getResourceAsStream("migrations/" + script)) {
      if (in == null) {
        throw new IllegalStateException(
            "migration " + script + " is missing from the SDK jar; rebuild the SDK");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration " + script + " from the SDK jar", e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return List.copyOf(statements);
  }
}
