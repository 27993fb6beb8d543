package io.openavathar;

import java.util.Optional;

/**
 * The caller's input cannot be used: a missing, empty, truncated or mislabelled file, an image too small, audio too
 * long, a bad argument. Thrown before anything is uploaded or spent. Never retryable: fix the input.
 */
public class InvalidInputException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /** Null when the problem is not one request parameter's. */
  private final String parameter;

  public InvalidInputException(String message) {
    this(message, (Throwable) null);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
    this.parameter = null;
  }

  /**
   * A problem with one parameter of the request.
   *
   * @param parameter the parameter, named as its {@link GenerationRequest.Builder} method ({@code "image"},
   *     {@code "audio"}, {@code "outputFile"})
   * @param cause may be null
   */
  public InvalidInputException(String parameter, String message, Throwable cause) {
    super(message, cause);
    this.parameter = java.util.Objects.requireNonNull(parameter, "parameter");
  }

  /**
   * The request parameter at fault, named as its {@link GenerationRequest.Builder} method: {@code "image"},
   * {@code "audio"} or {@code "outputFile"}; empty when the problem is not one parameter's. A tool with options of
   * its own names its option for it (the CLI says {@code --image}, {@code --audio}, {@code --out}).
   */
  public Optional<String> parameter() {
    return Optional.ofNullable(parameter);
  }
}
