package io.openavathar.license.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The license store's SQL, shared by {@link SqliteLicenseStore} and {@link PostgresLicenseStore}:
 * both keep the same tables with the same column types (instants and days as ISO-8601 text, flags
 * as 0/1 integers, tracked times as epoch millis), so one statement serves both and a database
 * moves between them row by row. Each method runs on the connection it is given; the caller owns
 * the transaction.
 */
final class LicenseSql {
  static final String DEVICE_STATUS =
      "SELECT (SELECT a.license_key FROM activations a JOIN licenses l"
          + " ON l.license_key = a.license_key WHERE a.fingerprint = ? AND l.revoked = 0),"
          + " (SELECT count FROM daily_counts WHERE fingerprint = ? AND utc_day = ?)";
  static final String LICENSE_COLUMNS =
      "license_key, email, sale_id, purchase_date, max_activations, product, price,"
          + " currency, test, revoked";

  /** Every table with its columns, parents before children. */
  static final Map<String, String> TABLES = tables();

  private LicenseSql() {}

  private static Map<String, String> tables() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("licenses", LICENSE_COLUMNS);
    t.put("activations", "license_key, fingerprint, activated_at");
    t.put("daily_counts", "fingerprint, utc_day, count");
    t.put("tracked_requests", "fingerprint, request_id, tracked_at");
    return Collections.unmodifiableMap(t);
  }

  /**
   * Copies every row of every table from one license database into another (the same schema on both
   * sides), keeping rows the target already has; so a copy can run again.
   *
   * @return rows copied per table (rows the target already had are not counted)
   */
  static Map<String, Integer> copyTables(Connection from, Connection to) throws SQLException {
    Map<String, Integer> copied = new LinkedHashMap<>();
    for (Map.Entry<String, String> table : TABLES.entrySet()) {
      int columns = table.getValue().split(",").length;
      String placeholders = String.join(", ", Collections.nCopies(columns, "?"));
      int count = 0;
      try (Statement read = from.createStatement();
          ResultSet rs =
              read.executeQuery("SELECT " + table.getValue() + " FROM " + table.getKey());
          PreparedStatement write =
              to.prepareStatement(
                  "INSERT INTO "
                      + table.getKey()
                      + " ("
                      + table.getValue()
                      + ") VALUES ("
                      + placeholders
                      + ") ON CONFLICT DO NOTHING")) {
        int batched = 0;
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) {
            write.setObject(i, rs.getObject(i));
          }
          write.addBatch();
          if (++batched == 500) {
            count += sum(write.executeBatch());
            batched = 0;
          }
        }
        count += sum(write.executeBatch());
      }
      copied.put(table.getKey(), count);
    }
    return copied;
  }

  private static int sum(int[] updates) {
    int n = 0;
    for (int u : updates) {
      n += Math.max(u, 0);
    }
    return n;
  }

  static Optional<LicenseRecord> findLicense(Connection c, String licenseKey) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + LICENSE_COLUMNS + " FROM licenses WHERE license_key = ?")) {
      ps.setString(1, licenseKey);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new LicenseRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Instant.parse(rs.getString(4)),
                rs.getInt(5),
                rs.getString(6),
                rs.getLong(7),
                rs.getString(8),
                rs.getInt(9) != 0,
                rs.getInt(10) != 0));
      }
    }
  }

  static int activationCount(Connection c, String licenseKey) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM activations WHERE license_key = ?")) {
      ps.setString(1, licenseKey);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Runs a prepared {@link #DEVICE_STATUS}. */
  static DeviceStatus deviceStatus(PreparedStatement ps, String fingerprint, LocalDate utcDay)
      throws SQLException {
    ps.setString(1, fingerprint);
    ps.setString(2, fingerprint);
    ps.setString(3, utcDay.toString());
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new DeviceStatus(rs.getString(1), rs.getInt(2));
    }
  }

  /** Inserts unless the sale id is known; a taken key fails on the primary key. */
  static boolean insertLicense(Connection c, LicenseRecord l) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO licenses ("
                + LICENSE_COLUMNS
                + ")"
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
  }

  static boolean revokeSale(Connection c, String saleId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE licenses SET revoked = 1 WHERE sale_id = ?")) {
      ps.setString(1, saleId);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Binds a device. Atomic only inside a transaction that serialises activations of one key:
   * SQLite's one writer, or PostgreSQL's row lock on the license ({@code lockLicenseRow} adds
   * {@code FOR UPDATE} to its first read).
   */
  static ActivationResult activate(
      Connection c, String licenseKey, String fingerprint, Instant now, boolean lockLicenseRow)
      throws SQLException {
    int max;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT max_activations, revoked FROM licenses"
                + " WHERE license_key = ?"
                + (lockLicenseRow ? " FOR UPDATE" : ""))) {
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
    try (PreparedStatement ps =
        c.prepareStatement("SELECT license_key FROM activations WHERE fingerprint = ?")) {
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
    if (activationCount(c, licenseKey) >= max) {
      return ActivationResult.LIMIT_REACHED;
    }
    // A device moves from its old license to this one (the old license gets its seat back).
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO activations (license_key, fingerprint, activated_at)"
                + " VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET license_key = excluded.license_key,"
                + " activated_at = excluded.activated_at")) {
      ps.setString(1, licenseKey);
      ps.setString(2, fingerprint);
      ps.setString(3, now.toString());
      ps.executeUpdate();
    }
    return ActivationResult.ACTIVATED;
  }

  static boolean deactivate(Connection c, String licenseKey, String fingerprint)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM activations WHERE license_key = ? AND fingerprint = ?")) {
      ps.setString(1, licenseKey);
      ps.setString(2, fingerprint);
      return ps.executeUpdate() > 0;
    }
  }

  static boolean knowsDevice(Connection c, String fingerprint) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM activations WHERE fingerprint = ?)"
                + " OR EXISTS (SELECT 1 FROM daily_counts WHERE fingerprint = ?)")) {
      ps.setString(1, fingerprint);
      ps.setString(2, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Counts a request id once: its insert into {@code tracked_requests} is what decides (a racing
   * second insert of the same id waits for the first and then does nothing), then the daily count
   * goes up. Forgets ids older than the retention in the same transaction (one indexed range
   * delete).
   */
  static TrackOutcome incrementDailyOnce(
      Connection c, String fingerprint, String requestId, LocalDate utcDay, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM tracked_requests WHERE tracked_at < ?")) {
      ps.setLong(1, now.minus(LicenseStore.TRACKED_ID_RETENTION).toEpochMilli());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tracked_requests (fingerprint, request_id,"
                + " tracked_at) VALUES (?, ?, ?) ON CONFLICT (fingerprint, request_id) DO NOTHING")) {
      ps.setString(1, fingerprint);
      ps.setString(2, requestId);
      ps.setLong(3, now.toEpochMilli());
      if (ps.executeUpdate() == 1) {
        return new TrackOutcome(true, increment(c, fingerprint, utcDay));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count FROM daily_counts WHERE fingerprint = ? AND utc_day = ?")) {
      ps.setString(1, fingerprint);
      ps.setString(2, utcDay.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return new TrackOutcome(false, rs.next() ? rs.getInt(1) : 0);
      }
    }
  }

  /** One atomic upsert: adds one and answers the new count. */
  static int increment(Connection c, String fingerprint, LocalDate utcDay) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO daily_counts (fingerprint, utc_day, count)"
                + " VALUES (?, ?, 1) ON CONFLICT (fingerprint, utc_day) DO UPDATE SET count = daily_counts.count + 1"
                + " RETURNING count")) {
      ps.setString(1, fingerprint);
      ps.setString(2, utcDay.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void setNullable(PreparedStatement ps, int index, String value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }
}
