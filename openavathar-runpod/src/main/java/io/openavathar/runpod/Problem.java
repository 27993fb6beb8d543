package io.openavathar.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RunPod REST v2 error body ({@code application/problem+json}, RFC 9457): {@code title}, {@code
 * status}, {@code detail} and, for validation failures, {@code errors}. A body that is not such
 * JSON becomes a problem whose detail is the start of the text.
 *
 * @param title short summary, may be empty
 * @param detail the explanation, may be empty
 * @param errors one entry per validation failure, usually empty
 */
record Problem(String title, String detail, List<String> errors) {
  private static final int SNIPPET_CHARS = 200;

  /**
   * A JSON path into the request, as RunPod's validation errors start ({@code $.cloud: ...}, {@code
   * $: ...}).
   */
  private static final Pattern JSON_PATH = Pattern.compile("\\$(\\.|\\[|:)");

  /**
   * An entry that starts with a field path ({@code mounts: ...}, {@code gpu.count: ...}): group 1
   * is its first name.
   */
  private static final Pattern LEADING_FIELD =
      Pattern.compile("^\\s*([A-Za-z_]\\w*)(\\.[\\w.\\[\\]]*)?\\s*:");

  /** A quoted name ('gpu', "gpu" or `gpu`): group 1 is the name. */
  private static final Pattern QUOTED = Pattern.compile("['\"`]([A-Za-z_]\\w*)['\"`]");

  /**
   * How RunPod words "this GPU type has no free machine" (REST v2 has no machine-readable code for
   * it): "There are no longer any instances available with the requested specifications", older
   * "...not enough free GPUs...", "This machine does not have the resources to deploy your pod".
   */
  private static final List<String> CAPACITY_PHRASES =
      List.of(
          "instances available",
          "no capacity",
          "insufficient capacity",
          "not enough free",
          "resources to deploy",
          "no longer available",
          "out of stock");

  Problem {
    errors = List.copyOf(errors);
  }

  /**
   * Reads {@code text} (a response body), masking {@code key} wherever the server echoed it: in the
   * raw text, and in the parsed fields, where a letter written as a JSON unicode escape may have
   * hidden it from a scrub of the text.
   */
  static Problem parse(String text, ApiKey key) {
    String raw = text == null ? "" : text;
    try {
      JsonNode node = Json.mapper().readTree(raw);
      if (node != null && node.isObject()) {
        List<String> errors = new ArrayList<>();
        for (JsonNode e : node.path("errors")) {
          errors.add(key.scrub(e.isTextual() ? e.asText() : e.toString()));
        }
        String detail = node.path("detail").asText("");
        if (detail.isEmpty()) {
          // Tolerate older shapes ({"error": ...} or {"message": ...}) from a proxy or simulator.
          detail = node.path("error").asText(node.path("message").asText(""));
        }
        return new Problem(key.scrub(node.path("title").asText("")), key.scrub(detail), errors);
      }
    } catch (IOException notJson) {
      // fall through: quote the text
    }
    return new Problem("", snippet(key.scrub(raw)), List.of());
  }

  /**
   * Whether the detail is worded like RunPod's known "no free machine" messages. Only for messages:
   * a create moves on to the next candidate on any 400 that is not {@link #namesFieldsOf a
   * validation error of the request}.
   */
  boolean saysNoCapacity() {
    String d = detail.toLowerCase(Locale.ROOT);
    return CAPACITY_PHRASES.stream().anyMatch(d::contains);
  }

  /**
   * Whether {@code errors} names a field of {@code request}: a JSON path ({@code $.gpu.id: ...}),
   * an entry that starts with the name of one of its fields ({@code mounts: ...}), or such a name
   * in quotes. Then RunPod rejected the request itself, and trying another GPU type or cloud would
   * not help. Plain prose (a word such as "cloud") does not count.
   */
  boolean namesFieldsOf(JsonNode request) {
    if (errors.isEmpty()) {
      return false;
    }
    Set<String> fields = new HashSet<>();
    collectFieldNames(request, fields);
    for (String e : errors) {
      if (JSON_PATH.matcher(e).find()) {
        return true;
      }
      Matcher leading = LEADING_FIELD.matcher(e);
      if (leading.find() && fields.contains(leading.group(1))) {
        return true;
      }
      Matcher quoted = QUOTED.matcher(e);
      while (quoted.find()) {
        if (fields.contains(quoted.group(1))) {
          return true;
        }
      }
    }
    return false;
  }

  private static void collectFieldNames(JsonNode node, Set<String> into) {
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(into::add);
    }
    node.elements().forEachRemaining(child -> collectFieldNames(child, into));
  }

  /** The detail followed by the validation errors, for a message. */
  String describeWithErrors() {
    return errors.isEmpty() ? describe() : describe() + ": " + String.join("; ", errors);
  }

  /** The detail (or title) for a message, never empty. */
  String describe() {
    if (!detail.isBlank()) {
      return detail;
    }
    return title.isBlank() ? "no detail given" : title;
  }

  /** The start of {@code text}, on one line. */
  static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS) + "...";
  }
}
