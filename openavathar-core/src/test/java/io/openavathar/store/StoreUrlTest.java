package io.openavathar.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Store URLs: which database, the password kept apart and never shown. */
class StoreUrlTest {
  @Test
  void aPostgresUrl_losesItsPassword_andKeepsItsOtherParameters() {
    StoreUrl url =
        StoreUrl.parse("jdbc:postgresql://db:5432/studio?user=s&password=p%40ss&sslmode=require");

    assertThat(url.kind()).isEqualTo(StoreUrl.Kind.POSTGRESQL);
    assertThat(url.withoutPassword())
        .isEqualTo("jdbc:postgresql://db:5432/studio?user=s&sslmode=require");
    assertThat(url.toString()).doesNotContain("p%40ss").doesNotContain("p@ss");
    assertThat(url.password(null, Map.of())).isEqualTo("p@ss");
  }

  @Test
  void thePassword_comesFromTheCaller_thenTheUrl_thenTheEnvironment() {
    StoreUrl bare = StoreUrl.parse("jdbc:postgresql://db/studio?user=s");
    Map<String, String> env =
        Map.of("OPENAVATHAR_STORE_PASSWORD", "from-env", "PGPASSWORD", "from-libpq");

    assertThat(bare.password("given", env)).isEqualTo("given");
    assertThat(bare.password(null, env)).isEqualTo("from-env");
    assertThat(bare.password(null, Map.of("PGPASSWORD", "from-libpq"))).isEqualTo("from-libpq");
    assertThat(bare.password(null, Map.of())).isNull();
    assertThat(StoreUrl.parse("jdbc:postgresql://db/s?password=in-url").password(null, env))
        .isEqualTo("in-url");
  }

  @Test
  void mask_hidesPasswordsInParametersAndBeforeTheHost() {
    assertThat(StoreUrl.mask("jdbc:x://h/d?user=a&PASSWORD=secret&ssl=true"))
        .isEqualTo("jdbc:x://h/d?user=a&PASSWORD=***&ssl=true");
    assertThat(StoreUrl.mask("postgres://user:secret@h:5432/d"))
        .isEqualTo("postgres://user:***@h:5432/d");
    assertThat(StoreUrl.mask("jdbc:postgresql://h:5432")).isEqualTo("jdbc:postgresql://h:5432");
  }

  @Test
  void credentialsBeforeTheHost_areRefused_masked() {
    assertThatThrownBy(() -> StoreUrl.parse("jdbc:postgresql://user:secret@h/d"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("user:***@h")
        .hasMessageNotContaining("secret");
  }

  @Test
  void sqliteUrls_nameAFileOrMemory() {
    assertThat(StoreUrl.parse("jdbc:sqlite::memory:").kind())
        .isEqualTo(StoreUrl.Kind.SQLITE_MEMORY);
    StoreUrl file = StoreUrl.parse("jdbc:sqlite:/data/studio.db");
    assertThat(file.kind()).isEqualTo(StoreUrl.Kind.SQLITE_FILE);
    assertThat(file.sqliteFile()).isEqualTo(Path.of("/data/studio.db"));
    assertThat(StoreUrl.parse("jdbc:sqlite:file:/data/studio.db").sqliteFile())
        .isEqualTo(Path.of("/data/studio.db"));
    assertThatThrownBy(() -> StoreUrl.parse("jdbc:sqlite:"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("names no SQLite file");
  }

  @Test
  void anEmptyOrForeignUrl_isInvalidInput_aboutTheStoreUrl() {
    for (String bad : new String[] {"", "  ", "mysql://h/d"}) {
      assertThatThrownBy(() -> StoreUrl.parse(bad))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.setting()).contains(Setting.STORE_URL);
                assertThat(e.getMessage(s -> "--store-url")).contains("Set --store-url to jdbc:");
              });
    }
  }
}
