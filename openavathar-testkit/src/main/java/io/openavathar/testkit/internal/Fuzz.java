package io.openavathar.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Property checks over generated outside data, for the project's own tests: seeded, reproducible
 * generators of JSON (valid shapes with mutated fields, wrong types, missing fields, huge numbers,
 * nulls, deep nesting, odd unicode) and bytes (valid headers with mutated lengths, truncation,
 * noise), and a runner that tries a property many times, each try under a timeout.
 *
 * <p>Each run starts from a base seed: the system property {@code openavathar.fuzz.seed} if set,
 * otherwise a fresh one, so runs vary but a failure names the seed and the try that reproduce it.
 * Try {@code i} uses {@code new Random(baseSeed + i)}.
 */
public final class Fuzz {
  /** The system property that fixes the base seed, for reproducing a failure. */
  public static final String SEED_PROPERTY = "openavathar.fuzz.seed";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long TIMEOUT_SECONDS = 10;
  private static final String[] ODD_TEXT = {
    "",
    " ",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "\u0000",
    "\uFFFF",
    "\uD800",
    "\uDC00x",
    "\u202E\u0645\u0631",
    "\uD83D\uDE00",
    "a\r\nb",
    "%00",
    "../../etc/passwd",
    "<script>",
    "\\",
    "\"",
    "{",
    "[]",
    "9".repeat(400),
    "x".repeat(5000),
  };

  private Fuzz() {}

  /** Something that may throw anything; the runner judges it. */
  @FunctionalInterface
  public interface Property<T> {
    void check(T input) throws Throwable;
  }

  /** The base seed of this run. */
  public static long baseSeed() {
    return SeedHolder.BASE;
  }

  /**
   * Runs {@code property} on {@code tries} generated inputs, each within 10 seconds. Fails with the
   * seed, the try and a short form of the input when the property fails, throws or hangs.
   */
  public static <T> void forAll(int tries, Function<Random, T> generator, Property<T> property) {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fuzz-property");
              t.setDaemon(true);
              return t;
            });
    try {
      for (int i = 0; i < tries; i++) {
        long seed = baseSeed() + i;
        T input = generator.apply(new Random(seed));
        Future<?> future =
            executor.submit(
                () -> {
                  try {
                    property.check(input);
                  } catch (Throwable t) {
                    throw new PropertyFailure(t);
                  }
                  return null;
                });
        try {
          future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          future.cancel(true);
          throw failure("hung for " + TIMEOUT_SECONDS + " s", seed, i, input, null);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() instanceof PropertyFailure p ? p.getCause() : e.getCause();
          throw failure("failed", seed, i, input, cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * Runs {@code call}; passes if it returns or throws an instance of one of {@code allowed}, fails
   * (keeping the cause) on anything else: a NullPointerException, ClassCastException,
   * IndexOutOfBoundsException, an Error...
   */
  @SafeVarargs
  public static void returnsOrThrows(Property<Void> call, Class<? extends Throwable>... allowed) {
    try {
      call.check(null);
    } catch (Throwable t) {
      for (Class<? extends Throwable> type : allowed) {
        if (type.isInstance(t)) {
          return;
        }
      }
      StringBuilder names = new StringBuilder();
      for (Class<? extends Throwable> type : allowed) {
        names.append(names.length() == 0 ? "" : ", ").append(type.getName());
      }
      throw new AssertionError(
          "threw " + t.getClass().getName() + ", allowed are only " + names, t);
    }
  }

  private static AssertionError failure(
      String what, long seed, int index, Object input, Throwable cause) {
    return new AssertionError(
        "Property "
            + what
            + " on try "
            + index
            + " (seed "
            + seed
            + "; rerun all with -D"
            + SEED_PROPERTY
            + "="
            + baseSeed()
            + ") for input: "
            + shortForm(input),
        cause);
  }

  /** At most 2000 characters of the input, bytes in hex. */
  public static String shortForm(Object input) {
    String text;
    if (input instanceof byte[] bytes) {
      StringBuilder hex = new StringBuilder(bytes.length + " bytes: ");
      for (int i = 0; i < Math.min(bytes.length, 600); i++) {
        hex.append(String.format("%02x", bytes[i]));
      }
      text = hex.toString();
    } else {
      text = String.valueOf(input);
    }
    return text.length() <= 2000
        ? text
        : text.substring(0, 2000) + "... (" + text.length() + " chars)";
  }

  // ---- JSON ----

  /** A JSON value of any type, at most {@code depth} levels deep. */
  public static JsonNode anyJson(Random random, int depth) {
    int kind = random.nextInt(depth <= 0 ? 6 : 8);
    switch (kind) {
      case 0:
        return NODES.nullNode();
      case 1:
        return NODES.booleanNode(random.nextBoolean());
      case 2:
        return number(random);
      case 3:
      case 4:
      case 5:
        return NODES.textNode(text(random));
      case 6:
        {
          ArrayNode array = NODES.arrayNode();
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            array.add(anyJson(random, depth - 1));
          }
          return array;
        }
      default:
        {
          ObjectNode object = NODES.objectNode();
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            object.set(text(random), anyJson(random, depth - 1));
          }
          return object;
        }
    }
  }

  /** A number: small, negative, fractional, at the edges of int and long, huge, or a float edge. */
  public static JsonNode number(Random random) {
    switch (random.nextInt(10)) {
      case 0:
        return NODES.numberNode(random.nextInt(10));
      case 1:
        return NODES.numberNode(-1 - random.nextInt(1000));
      case 2:
        return NODES.numberNode(random.nextDouble() * 1000);
      case 3:
        return NODES.numberNode(Integer.MAX_VALUE + (long) random.nextInt(3) - 1);
      case 4:
        return NODES.numberNode(Long.MAX_VALUE);
      case 5:
        return NODES.numberNode(Long.MIN_VALUE);
      case 6:
        return NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(60))));
      case 7:
        return NODES.numberNode(new BigDecimal("1e" + (300 + random.nextInt(50))));
      case 8:
        return NODES.numberNode(random.nextBoolean() ? Double.MAX_VALUE : Double.MIN_VALUE);
      default:
        return NODES.numberNode(random.nextLong());
    }
  }

  /**
   * A short string: plain, empty, control characters, lone surrogates, right-to-left text, very
   * long.
   */
  public static String text(Random random) {
    if (random.nextInt(3) == 0) {
      return ODD_TEXT[random.nextInt(ODD_TEXT.length)];
    }
    int length = random.nextInt(12);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      if (pick < 6) {
        out.append((char) ('a' + random.nextInt(26)));
      } else if (pick < 8) {
        out.append((char) ('0' + random.nextInt(10)));
      } else {
        out.append((char) random.nextInt(0x10000));
      }
    }
    return out.toString();
  }

  /**
   * A copy of {@code template} with a few random changes: a value replaced by another type, null, a
   * huge number or odd text; a field removed or added; an array emptied or grown. The shape stays
   * mostly valid, so parsers get past their first checks.
   */
  public static JsonNode mutate(Random random, JsonNode template) {
    JsonNode copy = template.deepCopy();
    int changes = 1 + random.nextInt(4);
    for (int i = 0; i < changes; i++) {
      copy = mutateOnce(random, copy);
    }
    return copy;
  }

  private static JsonNode mutateOnce(Random random, JsonNode root) {
    List<JsonNode> containers = new ArrayList<>();
    collectContainers(root, containers);
    if (containers.isEmpty() || random.nextInt(20) == 0) {
      return anyJson(random, 3);
    }
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      int op = random.nextInt(4);
      if (names.isEmpty() || op == 0) {
        object.set(
            names.isEmpty() || random.nextBoolean() ? text(random) : names.get(0),
            anyJson(random, 2));
      } else if (op == 1) {
        object.remove(names.get(random.nextInt(names.size())));
      } else if (op == 2) {
        object.set(
            names.get(random.nextInt(names.size())),
            random.nextBoolean() ? NODES.nullNode() : number(random));
      } else {
        object.set(names.get(random.nextInt(names.size())), anyJson(random, 2));
      }
    } else {
      ArrayNode array = (ArrayNode) target;
      int op = random.nextInt(4);
      if (array.isEmpty() || op == 0) {
        array.add(anyJson(random, 2));
      } else if (op == 1) {
        array.remove(random.nextInt(array.size()));
      } else if (op == 2) {
        array.set(
            random.nextInt(array.size()), random.nextBoolean() ? NODES.nullNode() : number(random));
      } else {
        array.set(random.nextInt(array.size()), anyJson(random, 2));
      }
    }
    return root;
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      Iterator<JsonNode> children = node.elements();
      while (children.hasNext()) {
        collectContainers(children.next(), out);
      }
    }
  }

  /**
   * A body a server might send where {@code template} is expected: mostly a mutated template,
   * sometimes any JSON, deep nesting, a very long number, the JSON cut short, HTML, or nothing.
   */
  public static String jsonText(Random random, JsonNode template) {
    int pick = random.nextInt(20);
    switch (pick) {
      case 0:
        return "";
      case 1:
        return "<html><body>502 Bad Gateway</body></html>";
      case 2:
        return "[".repeat(2000 + random.nextInt(2000)) + "]".repeat(random.nextInt(2));
      case 3:
        return "{\"a\":" + "1".repeat(2000) + "}";
      case 4:
        return write(anyJson(random, 4));
      case 5:
        {
          String whole = write(mutate(random, template));
          return whole.substring(0, random.nextInt(whole.length() + 1));
        }
      case 6:
        return new String(bytes(random, 200), StandardCharsets.ISO_8859_1);
      default:
        return write(mutate(random, template));
    }
  }

  /** Parses a JSON literal written in a test; fails the test if it is not JSON. */
  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }

  /** Writes a tree as compact JSON. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- bytes ----

  /** Up to {@code max} random bytes, sometimes none. */
  public static byte[] bytes(Random random, int max) {
    byte[] out = new byte[random.nextInt(max + 1)];
    random.nextBytes(out);
    return out;
  }

  /**
   * A copy of {@code valid} with a few random changes: 16- or 32-bit fields overwritten with
   * extreme values (0, 1, 0xFF.., a random value) in either byte order, single bytes flipped, the
   * end cut off, or noise appended. Half of the changes fall in the first 512 bytes, where headers
   * are.
   */
  public static byte[] mutate(Random random, byte[] valid) {
    byte[] out = valid.clone();
    int changes = 1 + random.nextInt(3);
    for (int c = 0; c < changes && out.length > 0; c++) {
      int at = random.nextInt(random.nextBoolean() ? Math.min(out.length, 512) : out.length);
      switch (random.nextInt(6)) {
        case 0:
        case 1:
          {
            int width = random.nextBoolean() ? 2 : 4;
            long value =
                switch (random.nextInt(5)) {
                  case 0 -> 0;
                  case 1 -> 1;
                  case 2 -> 0xFFFFFFFFL;
                  case 3 -> 0x7FFFFFFFL;
                  default -> random.nextLong();
                };
            boolean bigEndian = random.nextBoolean();
            for (int i = 0; i < width && at + i < out.length; i++) {
              int shift = 8 * (bigEndian ? width - 1 - i : i);
              out[at + i] = (byte) (value >>> shift);
            }
            break;
          }
        case 2:
          out[at] = (byte) random.nextInt(256);
          break;
        case 3:
          out = Arrays.copyOf(out, at);
          break;
        case 4:
          {
            byte[] noise = bytes(random, 64);
            byte[] longer = Arrays.copyOf(out, out.length + noise.length);
            System.arraycopy(noise, 0, longer, out.length, noise.length);
            out = longer;
            break;
          }
        default:
          out[at] ^= (byte) (1 << random.nextInt(8));
          break;
      }
    }
    return out;
  }

  /** Thrown inside the runner's thread to carry whatever the property threw. */
  private static final class PropertyFailure extends Exception {
    private static final long serialVersionUID = 1L;

    PropertyFailure(Throwable cause) {
      super(cause);
    }
  }

  private static final class SeedHolder {
    static final long BASE = Long.getLong(SEED_PROPERTY, new Random().nextLong() >>> 16);
  }
}
