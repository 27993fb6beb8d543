package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the license commands get a key that was not given as an argument (an argument shows up in
 * other users' process lists): {@code OPENAVATHAR_LICENSE_KEY}, else one line of standard input
 * when it is not a terminal, else a prompt that does not echo.
 */
final class LicenseKeyInput {
  static final String ENV = "OPENAVATHAR_LICENSE_KEY";

  private final Function<String, String> env;
  private final Supplier<InputStream> stdin;
  private final Console console;

  /** {@code console} is null when standard input is not a terminal. */
  LicenseKeyInput(Function<String, String> env, Supplier<InputStream> stdin, Console console) {
    this.env = env;
    this.stdin = stdin;
    this.console = console;
  }

  static LicenseKeyInput system() {
    return new LicenseKeyInput(System::getenv, () -> System.in, System.console());
  }

  /** The key from the environment, if set there. */
  Optional<String> fromEnvironment() {
    String key = env.apply(ENV);
    return key == null || key.isBlank() ? Optional.empty() : Optional.of(key.trim());
  }

  /** The key from the environment, else standard input or a prompt; fails if none is given. */
  String read() {
    Optional<String> key = fromEnvironment().or(this::fromUser);
    return key.orElseThrow(
        () ->
            new InvalidInputException(
                "No license key given: pass it as KEY, set "
                    + ENV
                    + ", or pipe it to standard input."));
  }

  private Optional<String> fromUser() {
    if (console != null) {
      char[] typed = console.readPassword("License key: ");
      return typed == null ? Optional.empty() : nonBlank(new String(typed));
    }
    try {
      // Not closed: this is the process's standard input.
      BufferedReader in =
          new BufferedReader(new InputStreamReader(stdin.get(), Charset.defaultCharset()));
      String line = in.readLine();
      return line == null ? Optional.empty() : nonBlank(line);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read the license key from standard input: " + e.getMessage(), e);
    }
  }

  private static Optional<String> nonBlank(String s) {
    return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
