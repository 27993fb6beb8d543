package io.openavathar.license;

import io.openavathar.InvalidInputException;
import java.util.Locale;
import java.util.Objects;

/**
 * A license key, normalised: {@code OAVR-} plus three or four groups of four letters or digits (the
 * server mints four, the product's documents show three). Parsing accepts any case, surrounding
 * spaces, and missing or extra dashes. {@link #toString()} masks all but the last group: a full key
 * never reaches a log or a message.
 */
public final class LicenseKey {
  private final String value;

  private LicenseKey(String value) {
    this.value = value;
  }

  /**
   * Parses and normalises a key, for example {@code " OAVR-AB12CD34-EF56-GH70 "} to {@code
   * OAVR-AB12-CD34-EF56-GH70}.
   *
   * @param text the key as typed; spaces, case and grouping do not matter
   * @return the key
   * @throws InvalidInputException if it is not a key (the message does not repeat it)
   */
  public static LicenseKey parse(String text) {
    Objects.requireNonNull(text, "text");
    String compact = text.trim().toUpperCase(Locale.ROOT).replace("-", "").replace(" ", "");
    if (!compact.startsWith("OAVR")) {
      throw new InvalidInputException(
          "That is not an OpenAvathar license key: keys start with OAVR- followed by groups of four characters.");
    }
    String body = compact.substring(4);
    if ((body.length() != 12 && body.length() != 16)
        || !body.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      throw new InvalidInputException(
          "That license key has the wrong length or characters: it should look like "
              + "OAVR- and four groups of four letters A-Z or digits. Copy it again from your purchase e-mail.");
    }
    StringBuilder b = new StringBuilder("OAVR");
    for (int i = 0; i < body.length(); i += 4) {
      b.append('-').append(body, i, i + 4);
    }
    return new LicenseKey(b.toString());
  }

  /**
   * The full, normalised key: for the wire only.
   *
   * @return the key; never log it
   */
  public String value() {
    return value;
  }

  /**
   * The key with every group but the last masked, for example {@code OAVR-****-****-****-DG43}.
   *
   * @return the masked key, safe for logs and messages
   */
  public String masked() {
    String[] groups = value.split("-");
    StringBuilder b = new StringBuilder("OAVR");
    for (int i = 1; i < groups.length; i++) {
      b.append('-').append(i == groups.length - 1 ? groups[i] : "****");
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LicenseKey k && value.equals(k.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The masked key. */
  @Override
  public String toString() {
    return masked();
  }
}
