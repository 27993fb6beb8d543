package io.openavathar.license.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite {@link LicenseStore}: one file in WAL mode. Writes go through one connection behind a
 * lock, each in a {@code BEGIN IMMEDIATE} transaction (so a second process on the same file waits
 * on {@code busy_timeout} instead of interleaving); reads use a small pool of read connections,
 * which WAL lets run beside the writer.
 */
final class SqliteLicenseStore extends JdbcLicenseStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteLicenseStore.class);
  static final int SCHEMA_VERSION = 2;

  private final String url;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection writer;
  private final BlockingQueue<Reader> readers;
  private final List<Reader> allReaders = new ArrayList<>();

  /** A read connection with its prepared statements. */
  private record Reader(Connection connection, PreparedStatement deviceStatus) {}

  SqliteLicenseStore(Path file, int readConnections) {
    super(false);
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      writer = open();
      migrate();
      readers = new ArrayBlockingQueue<>(readConnections);
      for (int i = 0; i < readConnections; i++) {
        Connection c = open();
        Reader r = new Reader(c, c.prepareStatement(LicenseSql.DEVICE_STATUS));
        allReaders.add(r);
        readers.add(r);
      }
    } catch (SQLException e) {
      close();
      throw new LicenseStoreException(
          "Could not open the license database "
              + file
              + ": "
              + e.getMessage()
              + ". Check that the directory exists and is writable.",
          e);
    }
    log.debug("Opened license database {} (schema {})", file, SCHEMA_VERSION);
  }

  private Connection open() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      s.execute("PRAGMA foreign_keys = ON");
    }
    return c;
  }

  private void migrate() throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int version = 0;
      try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          version = rs.getInt(1);
        }
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException(
            "the database has schema version "
                + version
                + ", newer than this server's "
                + SCHEMA_VERSION
                + "; run a newer server");
      }
      if (version < 1) {
        s.execute("BEGIN IMMEDIATE");
        s.execute(
            "CREATE TABLE licenses (license_key TEXT PRIMARY KEY, email TEXT NOT NULL, sale_id TEXT UNIQUE,"
                + " purchase_date TEXT NOT NULL, max_activations INTEGER NOT NULL, product TEXT, price INTEGER NOT NULL,"
                + " currency TEXT, test INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0)");
        s.execute(
            "CREATE TABLE activations (license_key TEXT NOT NULL REFERENCES licenses(license_key),"
                + " fingerprint TEXT NOT NULL UNIQUE, activated_at TEXT NOT NULL)");
        s.execute("CREATE INDEX activations_by_key ON activations(license_key)");
        s.execute(
            "CREATE TABLE daily_counts (fingerprint TEXT NOT NULL, utc_day TEXT NOT NULL,"
                + " count INTEGER NOT NULL, PRIMARY KEY (fingerprint, utc_day)) WITHOUT ROWID");
        s.execute("INSERT INTO schema_version (version) VALUES (1)");
        s.execute("COMMIT");
      }
      if (version < 2) {
        // Request ids already counted (track idempotency), kept TRACKED_ID_RETENTION; tracked_at in
        // epoch millis.
        s.execute("BEGIN IMMEDIATE");
        s.execute(
            "CREATE TABLE IF NOT EXISTS tracked_requests (fingerprint TEXT NOT NULL, request_id TEXT NOT NULL,"
                + " tracked_at INTEGER NOT NULL, PRIMARY KEY (fingerprint, request_id)) WITHOUT ROWID");
        s.execute(
            "CREATE INDEX IF NOT EXISTS tracked_requests_by_time ON tracked_requests(tracked_at)");
        s.execute("INSERT INTO schema_version (version) VALUES (2)");
        s.execute("COMMIT");
      }
    }
  }

  /** {@inheritDoc} On a read connection's prepared statement (the hot path of every check). */
  @Override
  public DeviceStatus deviceStatus(String fingerprint, LocalDate utcDay) {
    Reader r = borrow();
    try {
      return LicenseSql.deviceStatus(r.deviceStatus(), fingerprint, utcDay);
    } catch (SQLException e) {
      throw failed("read a device's status", e);
    } finally {
      readers.add(r);
    }
  }

  @Override
  public void close() {
    for (Reader r : allReaders) {
      closeQuietly(r.connection());
    }
    closeQuietly(writer);
  }

  @Override
  <T> T read(SqlWork<T> work) {
    Reader r = borrow();
    try {
      return work.run(r.connection());
    } catch (SQLException e) {
      throw failed("read", e);
    } finally {
      readers.add(r);
    }
  }

  /**
   * Runs the work in one {@code BEGIN IMMEDIATE} transaction on the writer: check-and-write is
   * atomic.
   */
  @Override
  <T> T write(SqlWork<T> work) {
    writeLock.lock();
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean committed = false;
      try {
        T result = work.run(writer);
        s.execute("COMMIT");
        committed = true;
        return result;
      } finally {
        if (!committed) {
          s.execute("ROLLBACK");
        }
      }
    } catch (SQLException e) {
      throw failed("write", e);
    } finally {
      writeLock.unlock();
    }
  }

  private Reader borrow() {
    try {
      Reader r = readers.poll(10, TimeUnit.SECONDS);
      if (r == null) {
        throw new LicenseStoreException(
            "No license database connection became free within 10 s; the server is"
                + " overloaded, try again shortly.",
            null);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LicenseStoreException(
          "Interrupted while waiting for a license database connection.", e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("Closing a license database connection failed: {}", e.getMessage());
    }
  }
}
