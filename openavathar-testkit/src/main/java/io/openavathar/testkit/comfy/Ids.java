package io.openavathar.testkit.comfy;

import java.util.Random;
import java.util.UUID;

/**
 * Prompt ids and socket ids from one seeded random source, so runs with the same seed repeat.
 * Thread-safe.
 */
final class Ids {

  private final Random random;

  Ids(long seed) {
    this.random = new Random(seed);
  }

  /** A random (version 4) UUID string, like Python's {@code str(uuid.uuid4())}. */
  synchronized String uuid() {
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  /** {@code uuid.uuid4().hex}: 32 hex digits, no dashes. */
  String hex() {
    return uuid().replace("-", "");
  }
}
