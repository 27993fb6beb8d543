package io.openavathar.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public API of one module, listed from its compiled classes, compared with a checked-in
 * baseline file so that every change to the public API is a deliberate, reviewed edit of that file.
 *
 * <p>Lists every public type outside {@code internal} packages whose enclosing types are public
 * too, with its public and protected constructors, methods and fields (synthetic and bridge members
 * left out), one line each, sorted. Run with {@code -Dapi.update=true} to rewrite the baseline
 * instead of comparing.
 */
public final class ApiBaseline {
  /** The system property that rewrites the baseline instead of comparing with it. */
  public static final String UPDATE_PROPERTY = "api.update";

  private ApiBaseline() {}

  /**
   * Compares the public API of the classes directory (or jar) that holds {@code anchor} with {@code
   * baseline} (relative to the module directory, which is the working directory of Maven's
   * surefire).
   *
   * @throws AssertionError with a diff and the command that updates the baseline, when they differ
   */
  public static void assertMatches(Class<?> anchor, Path baseline, String module) {
    check(anchor, baseline, module, Boolean.getBoolean(UPDATE_PROPERTY));
  }

  static void check(Class<?> anchor, Path baseline, String module, boolean update) {
    List<String> actual = describe(anchor);
    if (update) {
      write(baseline, actual);
      return;
    }
    List<String> expected = read(baseline);
    if (expected.equals(actual)) {
      return;
    }
    throw new AssertionError(
        "The public API of "
            + module
            + " differs from "
            + baseline
            + ":\n"
            + diff(expected, actual)
            + "If the change is intended, update the baseline and commit it with the change:\n"
            + "  mvn -B -ntp -o -pl "
            + module
            + " -am verify -Dtest='PublicApiTest' "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true\n");
  }

  /**
   * The public API of the classes directory that holds {@code anchor}, one sorted line per type or
   * member.
   */
  public static List<String> describe(Class<?> anchor) {
    Path root = classesRoot(anchor);
    List<String> lines = new ArrayList<>();
    for (String name : classNames(root)) {
      Class<?> type = load(name, anchor.getClassLoader());
      if (isApi(type)) {
        lines.addAll(describeType(type));
      }
    }
    return List.copyOf(lines);
  }

  /** The number of public types that {@link #describe} lists. */
  public static long typeCount(List<String> description) {
    return description.stream().filter(line -> !line.startsWith(" ")).count();
  }

  private static List<String> describeType(Class<?> type) {
    List<String> lines = new ArrayList<>();
    lines.add(kind(type) + " " + type.getName() + supertypes(type));
    Set<String> members = new TreeSet<>();
    Stream.of(type.getDeclaredConstructors())
        .filter(ApiBaseline::visible)
        .forEach(c -> members.add("  " + c.toGenericString()));
    Stream.of(type.getDeclaredMethods())
        .filter(m -> visible(m) && !m.isBridge())
        .forEach(m -> members.add("  " + m.toGenericString()));
    Stream.of(type.getDeclaredFields())
        .filter(ApiBaseline::visible)
        .forEach(f -> members.add("  " + f.toGenericString()));
    lines.addAll(members);
    return lines;
  }

  private static boolean visible(Member member) {
    if (member.isSynthetic()) {
      return false;
    }
    int modifiers = member.getModifiers();
    if (Modifier.isPublic(modifiers)) {
      return true;
    }
    // A protected member is API only where a user can subclass: a non-final type.
    return Modifier.isProtected(modifiers)
        && !Modifier.isFinal(member.getDeclaringClass().getModifiers());
  }

  private static String kind(Class<?> type) {
    String modifiers =
        Modifier.toString(
            type.getModifiers() & (Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC));
    String kind =
        type.isAnnotation()
            ? "@interface"
            : type.isInterface()
                ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    if (type.isInterface()) {
      modifiers = Modifier.toString(type.getModifiers() & Modifier.STATIC);
    }
    String sealed = type.isSealed() ? "sealed " : "";
    return (modifiers.isEmpty() ? "" : modifiers + " ") + sealed + kind;
  }

  private static String supertypes(Class<?> type) {
    List<String> names = new ArrayList<>();
    if (type.getGenericSuperclass() != null
        && type.getSuperclass() != Object.class
        && !type.isEnum()
        && !type.isRecord()) {
      names.add("extends " + type.getGenericSuperclass().getTypeName());
    }
    if (type.getGenericInterfaces().length > 0) {
      names.add(
          (type.isInterface() ? "extends " : "implements ")
              + String.join(
                  ", ",
                  Stream.of(type.getGenericInterfaces())
                      .map(java.lang.reflect.Type::getTypeName)
                      .toList()));
    }
    return names.isEmpty() ? "" : " " + String.join(" ", names);
  }

  private static boolean isApi(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    if (Arrays.asList(type.getPackageName().split("\\.")).contains("internal")) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static Path classesRoot(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + anchor.getName(), e);
    }
  }

  private static Set<String> classNames(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(
          root + " is not a classes directory; run the test from the module");
    }
    try (Stream<Path> files = Files.walk(root)) {
      Set<String> names = new TreeSet<>();
      files
          .map(root::relativize)
          .map(Path::toString)
          .filter(p -> p.endsWith(".class"))
          .filter(p -> !p.endsWith("module-info.class") && !p.endsWith("package-info.class"))
          .forEach(
              p ->
                  names.add(
                      p.substring(0, p.length() - ".class".length())
                          .replace(root.getFileSystem().getSeparator(), ".")));
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Cannot load " + name, e);
    }
  }

  private static List<String> read(Path baseline) {
    if (!Files.exists(baseline)) {
      return List.of();
    }
    try {
      return Files.readAllLines(baseline, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.startsWith("#") && !line.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path baseline, List<String> lines) {
    List<String> out = new ArrayList<>();
    out.add(
        "# Public API baseline ("
            + typeCount(lines)
            + " public types; internal packages are not API).");
    out.add("# Checked by PublicApiTest; rewrite with -Dapi.update=true and review the diff.");
    out.addAll(lines);
    try {
      Files.createDirectories(baseline.toAbsolutePath().getParent());
      Files.write(baseline, out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines only in the baseline ("-") and only in the compiled classes ("+"), in order. */
  static String diff(List<String> expected, List<String> actual) {
    Set<String> was = new TreeSet<>(expected);
    Set<String> now = new TreeSet<>(actual);
    StringBuilder out = new StringBuilder();
    for (String line : expected) {
      if (!now.contains(line)) {
        out.append("- ").append(line).append('\n');
      }
    }
    for (String line : actual) {
      if (!was.contains(line)) {
        out.append("+ ").append(line).append('\n');
      }
    }
    return out.toString();
  }
}
