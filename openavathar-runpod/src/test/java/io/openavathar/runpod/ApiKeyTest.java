package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeyTest {
  @Test
  void toString_showsAShortPrefixOfLongKeysOnly() {
    ApiKey key = ApiKey.of(Fixtures.KEY);

    assertThat(key.toString()).isEqualTo("rpa_SE…").doesNotContain(Fixtures.KEY.substring(6));
    assertThat(ApiKey.of("short-key-123").toString()).isEqualTo("****");
  }

  @Test
  void of_trimsAndComparesByValue() {
    assertThat(ApiKey.of("  " + Fixtures.KEY + "\n"))
        .isEqualTo(ApiKey.of(Fixtures.KEY))
        .hasSameHashCodeAs(ApiKey.of(Fixtures.KEY));
    assertThat(ApiKey.of(Fixtures.KEY)).isNotEqualTo(ApiKey.of(Fixtures.KEY + "x"));
  }

  @Test
  void of_whenBlankOrBroken_failsWithoutEchoingIt() {
    assertThatThrownBy(() -> ApiKey.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RUNPOD_API_KEY");
    assertThatThrownBy(() -> ApiKey.of("rpa_ABC DEF_secretpart"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 7")
        .hasMessageNotContaining("secretpart");
  }

  @Test
  void scrub_masksTheKeyInServerText() {
    assertThat(ApiKey.of(Fixtures.KEY).scrub("bad token " + Fixtures.KEY + "!"))
        .isEqualTo("bad token rpa_SE…!");
  }
}
