package io.openavathar.license.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite {@link LicenseStore}: one file in WAL mode. Writes go through one connection behind a lock, each in a
 * {@code BEGIN IMMEDIATE} transaction (so a second process on the same file waits on {@code busy_timeout} instead of
 * interleaving); reads use a small pool of read connections, which WAL lets run beside the writer.
 */
final class SqliteLicenseStore implements LicenseStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteLicenseStore.class);
  static final int SCHEMA_VERSION = 2;
  private static final String DEVICE_STATUS = "SELECT (SELECT a.license_key FROM activations a JOIN licenses l"
      + " ON l.license_key = a.license_key WHERE a.fingerprint = ? AND l.revoked = 0),"
      + " (SELECT count FROM daily_counts WHERE fingerprint = ? AND utc_day = ?)";

  private final String url;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection writer;
  private final BlockingQueue<Reader> readers;
  private final List<Reader> allReaders = new ArrayList<>();

  /** A read connection with its prepared statements. */
  private record Reader(Connection connection, PreparedStatement deviceStatus) {}

  SqliteLicenseStore(Path file, int readConnections) {
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      writer = open();
      migrate();
      readers = new ArrayBlockingQueue<>(readConnections);
      for (int i = 0; i < readConnections; i++) {
        Connection c = open();
        Reader r = new Reader(c, c.prepareStatement(DEVICE_STATUS));
        allReaders.add(r);
        readers.add(r);
      }
    } catch (SQLException e) {
      close();
      throw new LicenseStoreException("Could not open the license database " + file + ": " + e.getMessage()
          + ". Check that the directory exists and is writable.", e);
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
        throw new SQLException("the database has schema version " + version + ", newer than this server's "
            + SCHEMA_VERSION + "; run a newer server");
      }
      if (version < 1) {
        s.execute("BEGIN IMMEDIATE");
        s.execute("CREATE TABLE licenses (license_key TEXT PRIMARY KEY, email TEXT NOT NULL, sale_id TEXT UNIQUE,"
            + " purchase_date TEXT NOT NULL, max_activations INTEGER NOT NULL, product TEXT, price INTEGER NOT NULL,"
            + " currency TEXT, test INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0)");
        s.execute("CREATE TABLE activations (license_key TEXT NOT NULL REFERENCES licenses(license_key),"
            + " fingerprint TEXT NOT NULL UNIQUE, activated_at TEXT NOT NULL)");
        s.execute("CREATE INDEX activations_by_key ON activations(license_key)");
        s.execute("CREATE TABLE daily_counts (fingerprint TEXT NOT NULL, utc_day TEXT NOT NULL,"
            + " count INTEGER NOT NULL, PRIMARY KEY (fingerprint, utc_day)) WITHOUT ROWID");
        s.execute("INSERT INTO schema_version (version) VALUES (1)");
        s.execute("COMMIT");
      }
      if (version < 2) {
        // Request ids already counted (track idempotency), kept TRACKED_ID_RETENTION; tracked_at in epoch millis.
        s.execute("BEGIN IMMEDIATE");
        s.execute("CREATE TABLE IF NOT EXISTS tracked_requests (fingerprint TEXT NOT NULL, request_id TEXT NOT NULL,"
            + " tracked_at INTEGER NOT NULL, PRIMARY KEY (fingerprint, request_id)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS tracked_requests_by_time ON tracked_requests(tracked_at)");
        s.execute("INSERT INTO schema_version (version) VALUES (2)");
        s.execute("COMMIT");
      }
    }
  }

  @Override
  public Optional<LicenseRecord> findLicense(String licenseKey) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT license_key, email, sale_id, purchase_date,"
          + " max_activations, product, price, currency, test, revoked FROM licenses WHERE license_key = ?")) {
        ps.setString(1, licenseKey);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new LicenseRecord(rs.getString(1), rs.getString(2), rs.getString(3),
              Instant.parse(rs.getString(4)), rs.getInt(5), rs.getString(6), rs.getLong(7), rs.getString(8),
              rs.getInt(9) != 0, rs.getInt(10) != 0));
        }
      }
    });
  }

  @Override
  public int activationCount(String licenseKey) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM activations WHERE license_key = ?")) {
        ps.setString(1, licenseKey);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  @Override
  public DeviceStatus deviceStatus(String fingerprint, LocalDate utcDay) {
    Reader r = borrow();
    try {
      PreparedStatement ps = r.deviceStatus();
      ps.setString(1, fingerprint);
      ps.setString(2, fingerprint);
      ps.setString(3, utcDay.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new DeviceStatus(rs.getString(1), rs.getInt(2));
      }
    } catch (SQLException e) {
      throw failed("read a device's status", e);
    } finally {
      readers.add(r);
    }
  }

  @Override
  public boolean insertLicense(LicenseRecord l) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO licenses (license_key, email, sale_id,"
          + " purchase_date, max_activations, product, price, currency, test, revoked)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sale_id) DO NOTHING")) {
        ps.setString(1, l.key());
        ps.setString(2, l.email());
        setNullable(ps, 3, l.saleId());
        ps.setString(4, l.purchaseDate().toString());
        ps.setInt(5, l.maxActivations());
        setNullable(ps, 6, l.product());
        ps.setLong(7, l.priceCents());
        setNullable(ps, 8, l.currency());
        ps.setInt(9, l.test() ? 1 : 0);
        ps.setInt(10, l.revoked() ? 1 : 0);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean revokeSale(String saleId) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE licenses SET revoked = 1 WHERE sale_id = ?")) {
        ps.setString(1, saleId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public ActivationResult activate(String licenseKey, String fingerprint, Instant now) {
    return write(c -> {
      int max;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT max_activations, revoked FROM licenses WHERE license_key = ?")) {
        ps.setString(1, licenseKey);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return ActivationResult.NOT_FOUND;
          }
          if (rs.getInt(2) != 0) {
            return ActivationResult.REVOKED;
          }
          max = rs.getInt(1);
        }
      }
      String boundTo = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT license_key FROM activations WHERE fingerprint = ?")) {
        ps.setString(1, fingerprint);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            boundTo = rs.getString(1);
          }
        }
      }
      if (licenseKey.equals(boundTo)) {
        return ActivationResult.ALREADY_ACTIVE;
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM activations WHERE license_key = ?")) {
        ps.setString(1, licenseKey);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) >= max) {
            return ActivationResult.LIMIT_REACHED;
          }
        }
      }
      // A device moves from its old license to this one (the old license gets its seat back).
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO activations (license_key, fingerprint, activated_at)"
          + " VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET license_key = excluded.license_key,"
          + " activated_at = excluded.activated_at")) {
        ps.setString(1, licenseKey);
        ps.setString(2, fingerprint);
        ps.setString(3, now.toString());
        ps.executeUpdate();
      }
      return ActivationResult.ACTIVATED;
    });
  }

  @Override
  public boolean deactivate(String licenseKey, String fingerprint) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM activations WHERE license_key = ? AND fingerprint = ?")) {
        ps.setString(1, licenseKey);
        ps.setString(2, fingerprint);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean knowsDevice(String fingerprint) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM activations WHERE fingerprint = ?)"
          + " OR EXISTS (SELECT 1 FROM daily_counts WHERE fingerprint = ?)")) {
        ps.setString(1, fingerprint);
        ps.setString(2, fingerprint);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1) != 0;
        }
      }
    });
  }

  @Override
  public int incrementDaily(String fingerprint, LocalDate utcDay) {
    return write(c -> increment(c, fingerprint, utcDay));
  }

  /** {@inheritDoc} Forgets ids older than the retention in the same transaction (one indexed range delete). */
  @Override
  public TrackOutcome incrementDailyOnce(String fingerprint, String requestId, LocalDate utcDay, Instant now) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tracked_requests WHERE tracked_at < ?")) {
        ps.setLong(1, now.minus(TRACKED_ID_RETENTION).toEpochMilli());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tracked_requests (fingerprint, request_id,"
          + " tracked_at) VALUES (?, ?, ?) ON CONFLICT (fingerprint, request_id) DO NOTHING")) {
        ps.setString(1, fingerprint);
        ps.setString(2, requestId);
        ps.setLong(3, now.toEpochMilli());
        if (ps.executeUpdate() == 1) {
          return new TrackOutcome(true, increment(c, fingerprint, utcDay));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT count FROM daily_counts WHERE fingerprint = ? AND utc_day = ?")) {
        ps.setString(1, fingerprint);
        ps.setString(2, utcDay.toString());
        try (ResultSet rs = ps.executeQuery()) {
          return new TrackOutcome(false, rs.next() ? rs.getInt(1) : 0);
        }
      }
    });
  }

  private static int increment(Connection c, String fingerprint, LocalDate utcDay) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO daily_counts (fingerprint, utc_day, count)"
        + " VALUES (?, ?, 1) ON CONFLICT (fingerprint, utc_day) DO UPDATE SET count = count + 1 RETURNING count")) {
      ps.setString(1, fingerprint);
      ps.setString(2, utcDay.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Override
  public void close() {
    for (Reader r : allReaders) {
      closeQuietly(r.connection());
    }
    closeQuietly(writer);
  }

  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(SqlWork<T> work) {
    Reader r = borrow();
    try {
      return work.run(r.connection());
    } catch (SQLException e) {
      throw failed("read", e);
    } finally {
      readers.add(r);
    }
  }

  /** Runs the work in one {@code BEGIN IMMEDIATE} transaction on the writer: check-and-write is atomic. */
  private <T> T write(SqlWork<T> work) {
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
        throw new LicenseStoreException("No license database connection became free within 10 s; the server is"
            + " overloaded, try again shortly.", null);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LicenseStoreException("Interrupted while waiting for a license database connection.", e);
    }
  }

  private static LicenseStoreException failed(String what, SQLException e) {
    return new LicenseStoreException("The license database failed to " + what + ": " + e.getMessage(), e);
  }

  private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
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
