package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.fullJob;
import static io.openavathar.store.StoreFixtures.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.OpenAvatharException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The store contract on {@link StudioStore#open(Path)}, plus what only a file can do. */
class FileStudioStoreTest extends StudioStoreContract {
  @TempDir Path dir;

  @Override
  StudioStore newStore() {
    return StudioStore.open(dir.resolve("data"));
  }

  @Test
  void open_createsTheDirectoryAndStudioDbInWalMode() throws SQLException {
    assertThat(dir.resolve("data/studio.db")).isRegularFile();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/studio.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void reopen_keepsEverything() {
    store.insertJob(fullJob("j1"));
    store.claimJob("j1", "process-a", T0, LEASE);
    store.appendJobLog("j1", T0, "uploaded");
    store.insertVideo(video("v1", T0).priced(java.util.OptionalDouble.of(0.69)));
    store.podStarted(new StartedPod("p1", "runpod", T0, T0));
    PodBoot boot =
        new PodBoot("p1", "NVIDIA GeForce RTX 4090", PodBoot.Kind.DEPLOY, T0, T0.plusSeconds(90));
    store.podBooted(boot);
    store.addPendingTrack("j1", T0);
    store.setSetting("k", "v");
    store.close();

    store = newStore();

    assertThat(store.job("j1")).contains(fullJob("j1"));
    assertThat(store.claimJob("j1", "process-b", T0, LEASE)).isFalse();
    assertThat(store.jobLog("j1")).containsExactly("uploaded");
    assertThat(store.video("v1"))
        .contains(video("v1", T0).priced(java.util.OptionalDouble.of(0.69)));
    assertThat(store.video("v1").orElseThrow().costUsd()).isPresent();
    assertThat(store.recentBoots("NVIDIA GeForce RTX 4090", 5)).containsExactly(boot);
    assertThat(store.startedPods()).containsExactly(new StartedPod("p1", "runpod", T0, T0));
    assertThat(store.pendingTracks()).containsExactly("j1");
    assertThat(store.setting("k")).contains("v");
  }

  @Test
  void open_onAFileThatIsNotADatabase_failsNamingTheFileAndWhatToDo() throws IOException {
    Path other = dir.resolve("garbage");
    Files.createDirectories(other);
    Files.writeString(
        other.resolve("studio.db"), "this is not a SQLite database, just some text ".repeat(100));

    assertThatThrownBy(() -> StudioStore.open(other))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("studio.db in " + other.toAbsolutePath())
        .hasMessageContaining("is not an OpenAvathar database")
        .hasMessageContaining("move the file aside")
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void open_whenTheDirectoryCannotBeCreated_failsNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    assertThatThrownBy(() -> StudioStore.open(file.resolve("sub")))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("Cannot create the data directory " + file.resolve("sub"));
  }

  @Test
  void translate_busy_saysAnotherProcessHoldsTheFile_andIsRetryable() {
    SQLiteException busy =
        new SQLiteException(
            "[SQLITE_BUSY] The database file is locked (database is locked)",
            SQLiteErrorCode.SQLITE_BUSY);

    OpenAvatharException e = SqliteDatabase.translate("studio.db in /data", "claim job j1", busy);

    assertThat(e)
        .hasMessage(
            "studio.db in /data is locked by another process for more than 5 s (while trying to"
                + " claim job j1); close other OpenAvathar processes or use another data directory")
        .hasCause(busy);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void translate_full_isNotRetryable_andSaysToFreeSpace() {
    OpenAvatharException e =
        SqliteDatabase.translate(
            "studio.db in /data",
            "insert job j1",
            new SQLiteException("full", SQLiteErrorCode.SQLITE_FULL));

    assertThat(e).hasMessageContaining("is full").hasMessageContaining("free some space");
    assertThat(e.isRetryable()).isFalse();
  }
}
