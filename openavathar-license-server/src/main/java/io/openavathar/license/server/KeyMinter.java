package io.openavathar.license.server;

import java.security.SecureRandom;

/**
 * Mints license keys, {@code OAVR-} plus four groups of four, from a cryptographic random source.
 * Thread-safe.
 */
final class KeyMinter {
  static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private final SecureRandom random = new SecureRandom();

  String mint() {
    StringBuilder b = new StringBuilder(24).append("OAVR");
    for (int group = 0; group < 4; group++) {
      b.append('-');
      for (int i = 0; i < 4; i++) {
        b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return b.toString();
  }
}
