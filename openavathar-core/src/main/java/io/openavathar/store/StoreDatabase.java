package io.openavathar.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where {@link JdbcStudioStore} runs its SQL: how a call gets a connection, how a transaction
 * begins and ends, how failures become messages, and the little SQL that differs between the
 * databases. {@link SqliteDatabase} is one connection behind a lock; {@link PostgresStoreDatabase}
 * is a pool.
 */
interface StoreDatabase extends AutoCloseable {

  /** A unit of work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Names the database in messages ({@code studio.db in /path}, or the URL without its password).
   */
  String description();

  /** Runs {@code work} outside an explicit transaction (each statement commits on its own). */
  <T> T call(String what, Work<T> work);

  /**
   * Runs {@code work} in one transaction, committed if it returns and rolled back if it throws. A
   * read-modify-write in it never sees another process's write land in between its statements on
   * the rows it {@linkplain #lockKey locks} or {@linkplain #claimLocking claims}.
   */
  <T> T transaction(String what, Work<T> work);

  /**
   * What ends a {@code SELECT} in a {@link #transaction} that claims the rows it returns: rows
   * another transaction is claiming are skipped and the returned ones are held until commit. Empty
   * where the transaction already excludes every other writer.
   */
  String claimLocking();

  /**
   * Holds, until the transaction on {@code c} ends, a lock on {@code key} that other transactions
   * locking the same key wait for: for a read-modify-write of rows that may not exist yet. A no-op
   * where the transaction already excludes every other writer.
   */
  void lockKey(Connection c, String key) throws SQLException;

  @Override
  void close();
}
