package io.openavathar.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every ```java block of every README compiles against the SDK as built, so the READMEs cannot
 * drift from the API.
 *
 * <p>A block is a method body, unless it declares a top-level class (then it is a compilation
 * unit). Common imports are added (the SDK's packages, java.nio.file, java.net, java.time,
 * java.util, java.util.concurrent, JUnit 5 and AssertJ). What a block uses without declaring comes
 * from an HTML comment right above it, invisible on GitHub: {@code <!-- given: AvatarStudio studio;
 * Path png -->} declares parameters of the method, and {@code <!-- given class: class
 * MyAvatarService { ... } -->} adds a class (the reader's own code the block calls).
 */
class ReadmeSnippetsTest {
  private static final Pattern GIVEN = Pattern.compile("<!--\\s*given:(.*?)-->", Pattern.DOTALL);
  private static final Pattern GIVEN_CLASS =
      Pattern.compile("<!--\\s*given class:(.*?)-->", Pattern.DOTALL);
  private static final Pattern TOP_LEVEL_CLASS =
      Pattern.compile("(?m)^(public |final |abstract )*class \\w+");
  private static final List<String> IMPORTS =
      List.of(
          "io.openavathar.*",
          "io.openavathar.comfy.*",
          "io.openavathar.gallery.*",
          "io.openavathar.job.*",
          "io.openavathar.license.*",
          "io.openavathar.media.*",
          "io.openavathar.pod.*",
          "io.openavathar.store.*",
          "io.openavathar.workflow.*",
          "io.openavathar.runpod.*",
          "io.openavathar.license.client.*",
          "io.openavathar.license.server.*",
          "io.openavathar.testkit.comfy.*",
          "io.openavathar.testkit.runpod.*",
          "io.openavathar.testkit.junit5.*",
          "io.openavathar.testkit.media.*",
          "io.openavathar.testkit.postgres.*",
          "io.openavathar.studio.*",
          "java.nio.file.*",
          "java.net.*",
          "java.time.*",
          "java.util.*",
          "java.util.concurrent.*",
          "org.junit.jupiter.api.*",
          "org.junit.jupiter.api.extension.*",
          "static org.assertj.core.api.Assertions.*");

  /** One ```java block: where it is, its code, and what its comment gives it. */
  record Snippet(Path readme, int line, String code, String given, String givenClass) {
    String className() {
      String module = readme.getParent().getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
      return "Readme_" + module + "_L" + line;
    }

    String source() {
      StringBuilder s = new StringBuilder("package snippets;\n");
      IMPORTS.forEach(i -> s.append("import ").append(i).append(";\n"));
      if (TOP_LEVEL_CLASS.matcher(code).find()) {
        return s.append(code.replaceAll("(?m)^import .*$", ""))
            .append('\n')
            .append(givenClass)
            .append("\nclass ")
            .append(className())
            .append(" {}\n")
            .toString();
      }
      return s.append("class ")
          .append(className())
          .append(" {\n")
          .append("  @SuppressWarnings(\"unused\") void run(")
          .append(given)
          .append(") throws Exception {\n")
          .append(code)
          .append("\n  }\n}\n")
          .append(givenClass)
          .append('\n')
          .toString();
    }
  }

  @Test
  void everyJavaSnippetInTheReadmesCompiles() throws IOException {
    List<Snippet> snippets = new ArrayList<>();
    for (Path readme : readmes()) {
      snippets.addAll(snippets(readme));
    }
    assertThat(snippets).as("java snippets found").hasSizeGreaterThan(5);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (Snippet s : snippets) {
      sources.add(
          new SimpleJavaFileObject(
              URI.create("string:///snippets/" + s.className() + ".java"),
              JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return s.source();
            }
          });
    }
    Path out = Files.createTempDirectory("readme-snippets");
    StringWriter log = new StringWriter();
    boolean ok =
        javac
            .getTask(
                log,
                null,
                diagnostics,
                List.of(
                    "-proc:none",
                    "-d",
                    out.toString(),
                    "-classpath",
                    System.getProperty("java.class.path")),
                null,
                sources)
            .call();

    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        String name = d.getSource().getName().replaceAll(".*/|\\.java$", "");
        Snippet s =
            snippets.stream().filter(x -> x.className().equals(name)).findFirst().orElseThrow();
        errors.add(
            s.readme() + " (snippet at line " + s.line() + "): " + d.getMessage(Locale.ROOT));
      }
    }
    assertThat(errors).as("README snippets that do not compile").isEmpty();
    assertThat(ok).as(log.toString()).isTrue();
  }

  private static List<Path> readmes() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> all = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> modules = Files.list(root)) {
      modules
          .filter(p -> p.getFileName().toString().startsWith("openavathar-"))
          .map(p -> p.resolve("README.md"))
          .filter(Files::exists)
          .sorted()
          .forEach(all::add);
    }
    return all;
  }

  static List<Snippet> snippets(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    List<Snippet> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).trim().equals("```java")) {
        continue;
      }
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !lines.get(end).trim().equals("```")) {
        end++;
      }
      String before = commentAbove(lines, i);
      found.add(
          new Snippet(
              readme,
              start,
              String.join("\n", lines.subList(start, end)),
              given(before),
              givenClasses(before)));
      i = end;
    }
    return found;
  }

  /** The HTML comments just above line {@code fence} (blank lines between allowed). */
  private static String commentAbove(List<String> lines, int fence) {
    int i = fence - 1;
    while (i >= 0 && lines.get(i).isBlank()) {
      i--;
    }
    if (i < 0 || !lines.get(i).trim().endsWith("-->")) {
      return "";
    }
    int end = i;
    while (i >= 0 && !lines.get(i).contains("<!--")) {
      i--;
    }
    return String.join("\n", lines.subList(Math.max(i, 0), end + 1));
  }

  /** {@code given:} declarations, {@code Type a; Type b}, as a parameter list. */
  private static String given(String text) {
    List<String> params = new ArrayList<>();
    Matcher m = GIVEN.matcher(text);
    while (m.find()) {
      for (String p : m.group(1).split(";")) {
        if (!p.isBlank()) {
          params.add(p.trim());
        }
      }
    }
    return String.join(", ", params);
  }

  /** {@code given class:} code, as is. */
  private static String givenClasses(String text) {
    StringBuilder all = new StringBuilder();
    Matcher m = GIVEN_CLASS.matcher(text);
    while (m.find()) {
      all.append(m.group(1).trim()).append('\n');
    }
    return all.toString();
  }
}
