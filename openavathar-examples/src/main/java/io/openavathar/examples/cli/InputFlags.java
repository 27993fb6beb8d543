package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's option for each request parameter an {@link InvalidInputException} can name, so that an error says which
 * option to change ({@code --out: Output file '/tmp' is an existing directory. ...}).
 */
final class InputFlags {
  private static final Map<String, String> FLAGS = Map.of("image", "--image", "audio", "--audio", "outputFile", "--out");

  private InputFlags() {}

  /** The option for the parameter the failure names; empty for other failures. */
  static Optional<String> flagOf(Throwable failure) {
    return failure instanceof InvalidInputException e ? e.parameter().map(FLAGS::get) : Optional.empty();
  }

  /** The failure's message, led by the option it is about when it names one. */
  static String message(Throwable failure) {
    String m = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return flagOf(failure).map(flag -> flag + ": " + m).orElse(m);
  }
}
