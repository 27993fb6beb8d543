package io.openavathar.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL support is optional in core: an app without HikariCP still uses SQLite, and asking for
 * PostgreSQL says what to add (a JVM whose class path lacks the HikariCP jar).
 */
class MissingPostgresLibrariesTest {

  /** Opens an in-memory store, then tries PostgreSQL; prints what happened. */
  static final class Main {
    public static void main(String[] args) {
      try (StudioStore s = StudioStore.inMemory()) {
        System.out.println("sqlite works: schema " + s.schemaVersion());
      }
      try {
        StudioStore.connect("jdbc:postgresql://127.0.0.1:1/x?user=u").close();
        System.out.println("connected?!");
      } catch (RuntimeException e) {
        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  @Test
  void withoutHikariCp_sqliteWorks_andPostgresSaysWhatToAdd() throws Exception {
    String classPath =
        Arrays.stream(testClassPath().split(File.pathSeparator))
            .filter(entry -> !entry.contains("HikariCP"))
            .collect(Collectors.joining(File.pathSeparator));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                Main.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(output)
        .contains("sqlite works: schema " + SchemaMigrations.LATEST)
        .contains("OpenAvatharException: A studio store on PostgreSQL needs")
        .contains("com.zaxxer.hikari.HikariDataSource is missing")
        .doesNotContain("connected?!");
  }

  /** Surefire's real test class path (java.class.path may be a manifest-only booter jar). */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
