package io.openavathar.store;

import io.openavathar.OpenAvatharException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection, the lock that guards it, transactions, and the translation of SQL failures
 * into {@link OpenAvatharException}s that name the file and what to do.
 *
 * <p>Why one connection behind a lock: SQLite lets one writer at a time into a file whatever we do,
 * calls are short, and a single connection needs no pool, opens (and sets its pragmas) once, and is
 * the only way to keep a private in-memory database alive. Readers in this process wait for the
 * lock rather than for SQLite; other processes use their own connection and meet ours through WAL
 * and the busy timeout.
 */
final class SqliteDatabase implements StoreDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);

  /** How long a statement waits for another connection's write lock before giving up. */
  static final int BUSY_TIMEOUT_MILLIS = 5_000;

  private final String description;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection; // null once closed; guarded by lock

  private SqliteDatabase(String description, Connection connection) {
    this.description = description;
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) {@code studio.db} in {@code directory}, in WAL mode with a busy
   * timeout.
   */
  static SqliteDatabase openFile(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    String description = "studio.db in " + dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new OpenAvatharException(
          "Cannot create the data directory "
              + dir
              + " for studio.db ("
              + e
              + "); check its permissions or choose another data directory",
          e);
    }
    return openAt(dir.resolve("studio.db"), description);
  }

  /**
   * Opens (creating if needed) the SQLite file {@code file}, whose directory must exist: the store
   * a {@code jdbc:sqlite:} URL names.
   */
  static SqliteDatabase openFile(Path file, String url) {
    Path path = file.toAbsolutePath().normalize();
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new OpenAvatharException(
          "The directory of the store "
              + url
              + " ("
              + dir
              + ") does not exist; create it, or fix the store URL");
    }
    return openAt(path, path.getFileName() + " in " + dir);
  }

  private static SqliteDatabase openAt(Path file, String description) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    Connection connection = null;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file);
      enableWal(connection, description);
      try (Statement st = connection.createStatement()) {
        // FULL: a commit is on disk when the call returns, as StudioStore promises.
        st.execute("PRAGMA synchronous=FULL");
      }
      LOG.debug("Opened {}", description);
      return new SqliteDatabase(description, connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw translate(description, "open it", e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Switches the file to WAL. On a fresh file this needs a lock that SQLite does not wait for (the
   * busy timeout does not apply), so when two processes open a new file at once one of them is told
   * "busy" at once: retry briefly.
   */
  private static void enableWal(Connection connection, String description) throws SQLException {
    long deadline = System.nanoTime() + BUSY_TIMEOUT_MILLIS * 1_000_000L;
    for (int attempt = 1; ; attempt++) {
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
        String mode = rs.next() ? rs.getString(1) : "?";
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new OpenAvatharException(
              description
                  + " could not switch to WAL journal mode (it is in "
                  + mode
                  + " mode); use a data directory on a local disk");
        }
        return;
      } catch (SQLException e) {
        if ((e.getErrorCode() & 0xff) != 5 || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.debug("{} is busy while switching to WAL (attempt {}); retrying", description, attempt);
        pause(Math.min(50, 5L * attempt));
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenAvatharException(
          "Interrupted while waiting to open studio.db; the store was not opened", e);
    }
  }

  /** Opens a private in-memory database that lives as long as the returned object. */
  static SqliteDatabase openMemory() {
    try {
      return new SqliteDatabase(
          "the in-memory store", new SQLiteConfig().createConnection("jdbc:sqlite::memory:"));
    } catch (SQLException e) {
      throw translate("the in-memory store", "open it", e);
    }
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public <T> T call(String what, Work<T> work) {
    lock.lock();
    try {
      return work.run(open());
    } catch (SQLException e) {
      throw translate(description, what, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} in a {@code BEGIN IMMEDIATE} transaction: the write lock is taken up front
   * (waiting up to the busy timeout), so a read-modify-write never fails half way because another
   * process wrote in between.
   */
  @Override
  public <T> T transaction(String what, Work<T> work) {
    lock.lock();
    try {
      Connection c = open();
      try (Statement st = c.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
      }
      boolean committed = false;
      try {
        T result = work.run(c);
        try (Statement st = c.createStatement()) {
          st.execute("COMMIT");
        }
        committed = true;
        return result;
      } finally {
        if (!committed) {
          rollbackQuietly(c);
        }
      }
    } catch (SQLException e) {
      throw translate(description, what, e);
    } finally {
      lock.unlock();
    }
  }

  /** Nothing: {@code BEGIN IMMEDIATE} already keeps every other writer out. */
  @Override
  public String claimLocking() {
    return "";
  }

  /** Nothing: {@code BEGIN IMMEDIATE} already keeps every other writer out. */
  @Override
  public void lockKey(Connection c, String key) {}

  private Connection open() {
    if (connection == null) {
      throw new IllegalStateException(
          description + " is closed; open a new store with StudioStore.open(...)");
    }
    return connection;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (connection != null) {
        closeQuietly(connection);
        connection = null;
        LOG.debug("Closed {}", description);
      }
    } finally {
      lock.unlock();
    }
  }

  private void rollbackQuietly(Connection c) {
    try (Statement st = c.createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      // SQLite may already have rolled back (e.g. after SQLITE_FULL); the original failure is what
      // matters.
      LOG.debug("Rollback on {} failed after an earlier error: {}", description, e.toString());
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("Closing a SQLite connection failed: {}", e.toString());
    }
  }

  /**
   * Turns a SQL failure into an exception whose message names the database, the operation, and a
   * next step.
   */
  static OpenAvatharException translate(String description, String what, SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    String message;
    boolean retryable = false;
    switch (primary) {
      case 5, 6 -> { // SQLITE_BUSY, SQLITE_LOCKED
        message =
            description
                + " is locked by another process for more than "
                + BUSY_TIMEOUT_MILLIS / 1000
                + " s (while trying to "
                + what
                + "); close other OpenAvathar processes or use another data directory";
        retryable = true;
      }
      case 3, 8, 14 -> // SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN
          message =
              description
                  + " cannot be opened for reading and writing (while trying to "
                  + what
                  + "): "
                  + e.getMessage()
                  + "; check the permissions of the data directory and the file";
      case 13 -> // SQLITE_FULL
          message =
              "The disk holding "
                  + description
                  + " is full (while trying to "
                  + what
                  + "); free some space and retry";
      case 11, 26 -> // SQLITE_CORRUPT, SQLITE_NOTADB
          message =
              description
                  + " is damaged or is not an OpenAvathar database (while trying to "
                  + what
                  + "); move the file aside to start with an empty store";
      default ->
          message =
              description
                  + " failed to "
                  + what
                  + ": "
                  + e.getMessage()
                  + "; check the disk and the file, and report a bug if it persists";
    }
    return new StoreException(message, e, retryable);
  }
}
