package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryOptionsTest {
  @Test
  void defaults_areFourAttemptsFrom500msTo8s_withEachClientsReadTimeout() {
    RetryOptions d = RetryOptions.defaults();

    assertThat(d.maxAttempts()).isEqualTo(4);
    assertThat(d.initialBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(d.maxBackoff()).isEqualTo(Duration.ofSeconds(8));
    assertThat(d.readTimeout()).isEmpty();
    assertThat(d)
        .isEqualTo(RetryOptions.builder().build())
        .hasSameHashCodeAs(RetryOptions.builder().build());
  }

  @Test
  void toBuilder_roundTrips_andBuiltValuesNeverChange() {
    RetryOptions.Builder b =
        RetryOptions.builder()
            .maxAttempts(2)
            .initialBackoff(Duration.ofMillis(10))
            .maxBackoff(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(5));
    RetryOptions o = b.build();
    b.maxAttempts(9);

    assertThat(o.maxAttempts()).isEqualTo(2);
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(o.readTimeout()).contains(Duration.ofSeconds(5));
    assertThat(o)
        .hasToString(
            "RetryOptions{maxAttempts=2, initialBackoff=PT0.01S, maxBackoff=PT1S, readTimeout=PT5S}");
  }

  @Test
  void apply_takesEveryPart_butKeepsTheReadTimeoutWhenTheOptionsHaveNone() {
    RetryOptions.Builder b = RetryOptions.builder().readTimeout(Duration.ofSeconds(20));

    RetryOptions o =
        b.apply(RetryOptions.builder().maxAttempts(2).maxBackoff(Duration.ofSeconds(1)).build())
            .build();

    assertThat(o.maxAttempts()).isEqualTo(2);
    assertThat(o.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.readTimeout()).contains(Duration.ofSeconds(20));
    assertThat(
            b.apply(RetryOptions.builder().readTimeout(Duration.ofSeconds(3)).build())
                .build()
                .readTimeout())
        .contains(Duration.ofSeconds(3));
  }

  @Test
  void maxBackoff_isNeverShorterThanTheInitialBackoff() {
    RetryOptions o =
        RetryOptions.builder()
            .initialBackoff(Duration.ofSeconds(3))
            .maxBackoff(Duration.ofSeconds(1))
            .build();

    assertThat(o.maxBackoff()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void builder_rejectsBadValues_namingThem() {
    assertThatThrownBy(() -> RetryOptions.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be at least 1, was 0");
    assertThatThrownBy(() -> RetryOptions.builder().initialBackoff(Duration.ofMillis(-1)))
        .hasMessageContaining("initialBackoff must not be negative");
    assertThatThrownBy(() -> RetryOptions.builder().maxBackoff(Duration.ofMillis(-1)))
        .hasMessageContaining("maxBackoff must not be negative");
    assertThatThrownBy(() -> RetryOptions.builder().readTimeout(Duration.ZERO))
        .hasMessageContaining("readTimeout must be positive");
  }
}
