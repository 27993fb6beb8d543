package io.openavathar.testkit.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose output (System.out and System.err, where SLF4J's simple logger writes)
 * contains a secret: a RunPod API key ({@code rpa_} and at least 16 letters or digits), a full
 * license key ({@code OAVR-} and at least three groups of four; masked keys such as {@code
 * OAVR-****-****-****-DG43} pass), or a string a test {@linkplain #register registered}.
 *
 * <p>Registered by a module's tests through JUnit's extension auto-detection ({@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension} plus {@code
 * junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}), so it
 * watches every test class. The first class installs a tee on both streams for the rest of the
 * JVM's life; after each test and each class, whatever the tee saw since the last check is judged,
 * so output from a server thread that logs late is caught by the next check. The failure names the
 * kind of secret and its first characters, never the whole secret.
 */
public final class SecretLeakGuard
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  /** The shapes of the secrets the project handles. */
  static final Pattern SHAPES = Pattern.compile("rpa_[A-Za-z0-9]{16,}|OAVR(?:-[A-Z0-9]{4}){3,}");

  private static final int CARRY = 256;
  private static final Set<String> REGISTERED = new CopyOnWriteArraySet<>();
  private static final Scanner SCANNER = new Scanner();
  private static boolean installed;

  /**
   * Also fail on {@code secret} (a token or password a test uses) from now on; at least 8
   * characters.
   */
  public static void register(String secret) {
    if (secret.length() < 8) {
      throw new IllegalArgumentException(
          "too short to scan for without false alarms: " + secret.length());
    }
    REGISTERED.add(secret);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check("test " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check("class " + context.getDisplayName() + " (outside its tests)");
  }

  private static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    System.setOut(tee(System.out));
    System.setErr(tee(System.err));
  }

  /** A stream that writes to {@code original} and scans what passes. */
  static PrintStream tee(PrintStream original) {
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            SCANNER.accept(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            SCANNER.accept(b, off, len);
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    return new PrintStream(both, true, Charset.defaultCharset());
  }

  /** Fails if a secret passed since the last check. */
  static void check(String where) {
    List<String> found = SCANNER.drain();
    if (!found.isEmpty()) {
      throw new AssertionError(
          "The output of "
              + where
              + " contains "
              + found.size()
              + " secret(s): "
              + found
              + ". Secrets must never be logged or printed: mask them.");
    }
  }

  /**
   * Scans what passes for secrets; keeps the last characters so a secret split across writes is
   * found.
   */
  static final class Scanner {
    private final StringBuilder window = new StringBuilder();
    private final List<String> found = new ArrayList<>();

    synchronized void accept(byte[] b, int off, int len) {
      window.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
      int scannedUpTo = scan();
      // Keep a tail long enough to hold the start of a secret not yet complete.
      int keepFrom = Math.max(scannedUpTo, window.length() - CARRY);
      window.delete(0, Math.max(0, keepFrom));
    }

    /** Records secrets in the window; returns where the last one ended (0 if none). */
    private int scan() {
      int end = 0;
      Matcher m = SHAPES.matcher(window);
      while (m.find()) {
        // A match that touches the window's end may still grow; it is found again when more
        // arrives.
        if (m.end() < window.length()) {
          found.add(describe(m.group()));
          end = m.end();
        }
      }
      for (String secret : REGISTERED) {
        int at = window.indexOf(secret, end);
        if (at >= 0) {
          found.add(describe(secret));
          end = Math.max(end, at + secret.length());
        }
      }
      return end;
    }

    synchronized List<String> drain() {
      List<String> out = List.copyOf(found);
      found.clear();
      return out;
    }

    private static String describe(String secret) {
      return secret.substring(0, Math.min(6, secret.length()))
          + "... ("
          + secret.length()
          + " characters)";
    }
  }
}
