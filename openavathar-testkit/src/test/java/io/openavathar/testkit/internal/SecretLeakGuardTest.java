package io.openavathar.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretLeakGuardTest {
  // Built at run time so that the literal secrets never sit in a log line of their own.
  private static final String API_KEY = "rpa_" + "LEAKTEST".repeat(4);
  private static final String LICENSE_KEY =
      "OAVR-" + String.join("-", "LEAK", "TEST", "NCQ3", "DG43");

  @Test
  void aKeyPrintedThroughTheTeeFailsTheCheckWithoutRepeatingTheKey() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream out = SecretLeakGuard.tee(new PrintStream(sink, true, StandardCharsets.UTF_8));

    out.println("[main] DEBUG io.openavathar.runpod.RunPodHttp - Authorization: Bearer " + API_KEY);

    assertThat(sink.toString(StandardCharsets.UTF_8)).contains(API_KEY);
    assertThatThrownBy(() -> SecretLeakGuard.check("test x"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("test x contains 1 secret(s): [rpa_LE... (36 characters)]")
        .hasMessageNotContaining(API_KEY);
    assertThatCode(() -> SecretLeakGuard.check("test y"))
        .as("a leak is reported once")
        .doesNotThrowAnyException();
  }

  @Test
  void aKeySplitAcrossWritesIsFound() {
    PrintStream out =
        SecretLeakGuard.tee(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    out.print("license " + LICENSE_KEY.substring(0, 7));
    out.print(LICENSE_KEY.substring(7, 15));
    out.println(LICENSE_KEY.substring(15) + " activated");

    assertThatThrownBy(() -> SecretLeakGuard.check("test z"))
        .hasMessageContaining("OAVR-L... (24 characters)");
  }

  @Test
  void maskedKeysAndShortPrefixesPass() {
    PrintStream out =
        SecretLeakGuard.tee(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    out.println(
        "license OAVR-****-****-****-DG43 activated, key OAVR-NCQ3-DAKK (cut), api key rpa_1234... set");

    assertThatCode(() -> SecretLeakGuard.check("test")).doesNotThrowAnyException();
  }

  @Test
  void registeredSecretsAreFoundToo() {
    String token = "gumroad-" + "seller".repeat(3);
    SecretLeakGuard.register(token);
    PrintStream out =
        SecretLeakGuard.tee(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    out.println("seller_id=" + token + "&x=1");

    assertThatThrownBy(() -> SecretLeakGuard.check("test"))
        .hasMessageContaining("gumroa... (26 characters)");
    assertThatThrownBy(() -> SecretLeakGuard.register("short"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
