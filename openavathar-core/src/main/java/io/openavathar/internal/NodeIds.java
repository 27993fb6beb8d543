package io.openavathar.internal;

import java.util.Comparator;

/**
 * Orders ComfyUI node ids as people read them: numeric ids by number ("9" before "10"), then the
 * others by text.
 */
public final class NodeIds {
  /** Numeric ids first, by value; other ids after them, by text. */
  public static final Comparator<String> BY_NUMBER = NodeIds::compare;

  private NodeIds() {}

  private static int compare(String a, String b) {
    boolean na = a.matches("\\d{1,9}");
    boolean nb = b.matches("\\d{1,9}");
    if (na && nb) {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }
    return na != nb ? (na ? -1 : 1) : a.compareTo(b);
  }
}
