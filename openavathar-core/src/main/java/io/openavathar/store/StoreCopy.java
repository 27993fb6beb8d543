package io.openavathar.store;

import io.openavathar.OpenAvatharException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Copies everything one SDK store holds into another, empty one, table by table in one transaction
 * on the target: how a studio moves from its data directory's {@code studio.db} to PostgreSQL (or
 * back). The two databases have the same tables and columns at the same schema version, so rows
 * copy as they are; claims are left out (whoever held a job or a track does not hold it in the new
 * store), and boots get new ids in the same order.
 */
final class StoreCopy {
  /** A table and the columns copied, in an order that keeps rows' relative order. */
  private record Table(String name, String columns, String orderBy) {}

  private static final List<Table> TABLES =
      List.of(
          new Table("jobs", JdbcStudioStore.JOB_COLUMNS, "created_at, id"),
          new Table("job_log", "job_id, seq, at, line", "job_id, seq"),
          new Table("videos", JdbcStudioStore.VIDEO_COLUMNS, "created_at, id"),
          new Table("started_pods", "pod_id, provider, started_at, last_activity", "pod_id"),
          new Table("pod_intents", "name, provider, at", "name"),
          new Table("pod_boots", "pod_id, gpu_type, kind, requested_at, ready_at", "id"),
          new Table("pending_tracks", "job_id, at", "job_id"),
          new Table("settings", "key, value", "key"));

  private static final int BATCH = 500;

  private StoreCopy() {}

  /**
   * Copies {@code from} into {@code to}, which must be empty; returns the rows copied per table, in
   * copy order.
   */
  static Map<String, Integer> copy(JdbcStudioStore from, JdbcStudioStore to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.schemaVersion() != to.schemaVersion()) {
      throw new OpenAvatharException(
          "Cannot copy a store at schema "
              + from.schemaVersion()
              + " into one at schema "
              + to.schemaVersion()
              + "; open both with the same SDK");
    }
    return to.database()
        .transaction(
            "copy " + from.database().description() + " into it",
            target -> {
              checkEmpty(to.database().description(), target);
              Map<String, Integer> copied = new LinkedHashMap<>();
              for (Table table : TABLES) {
                copied.put(
                    table.name(),
                    from.database()
                        .call("read its " + table.name(), source -> copy(table, source, target)));
              }
              return copied;
            });
  }

  private static void checkEmpty(String description, Connection c) throws SQLException {
    for (Table table : TABLES) {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.name());
          ResultSet rs = ps.executeQuery()) {
        long rows = rs.next() ? rs.getLong(1) : 0;
        if (rows > 0) {
          throw new OpenAvatharException(
              description
                  + " is not empty (its table "
                  + table.name()
                  + " has "
                  + rows
                  + " rows); copy into a new, empty database, so that nothing is mixed or"
                  + " overwritten");
        }
      }
    }
  }

  private static int copy(Table table, Connection source, Connection target) throws SQLException {
    int columns = table.columns().split(",").length;
    int rows = 0;
    try (PreparedStatement read =
            source.prepareStatement(
                "SELECT "
                    + table.columns()
                    + " FROM "
                    + table.name()
                    + " ORDER BY "
                    + table.orderBy());
        ResultSet rs = read.executeQuery();
        PreparedStatement write =
            target.prepareStatement(
                "INSERT INTO "
                    + table.name()
                    + " ("
                    + table.columns()
                    + ") VALUES ("
                    + "?, ".repeat(columns - 1)
                    + "?)")) {
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          write.setObject(i, rs.getObject(i));
        }
        write.addBatch();
        if (++rows % BATCH == 0) {
          write.executeBatch();
        }
      }
      if (rows % BATCH != 0) {
        write.executeBatch();
      }
    }
    return rows;
  }
}
