package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * ComfyUI's output cache, simplified: a node whose input signature (class, literal inputs, upstream
 * signatures, loaded file identity) matches a node completed in the previous prompt is not run
 * again. Entries not used by the latest prompt are dropped, as {@code clean_unused()} does.
 * Thread-safe.
 */
final class OutputCache {

  /** A cached node's UI output, or null when it produced none. */
  record Entry(ObjectNode ui) {}

  private final boolean enabled;
  private Map<String, Entry> entries = new HashMap<>();

  OutputCache(boolean enabled) {
    this.enabled = enabled;
  }

  /** Signatures of every node in the prompt (empty when caching is off). */
  Map<String, String> signatures(Graph graph, Directories directories) {
    Map<String, String> signatures = new LinkedHashMap<>();
    if (enabled) {
      for (String id : graph.ids()) {
        signature(graph, directories, id, signatures, new HashSet<>());
      }
    }
    return signatures;
  }

  private static String signature(
      Graph graph,
      Directories directories,
      String id,
      Map<String, String> done,
      Set<String> visiting) {
    String known = done.get(id);
    if (known != null) {
      return known;
    }
    if (!graph.contains(id) || !visiting.add(id)) {
      return "missing:" + id;
    }
    StringBuilder signature = new StringBuilder(String.valueOf(graph.classType(id))).append('{');
    Map<String, JsonNode> sorted = new TreeMap<>();
    for (Map.Entry<String, JsonNode> input : graph.inputs(id).properties()) {
      sorted.put(input.getKey(), input.getValue());
    }
    sorted.forEach(
        (name, value) -> {
          signature.append(name).append('=');
          if (Graph.isLink(value)) {
            signature
                .append('<')
                .append(signature(graph, directories, value.get(0).asText(), done, visiting))
                .append('#')
                .append(value.get(1).asInt())
                .append('>');
          } else {
            signature.append(Json.write(value));
          }
          signature.append(';');
        });
    String classType = graph.classType(id);
    if (NodeClasses.LOAD_IMAGE.equals(classType) || NodeClasses.LOAD_AUDIO.equals(classType)) {
      signature.append(
          fileIdentity(
              directories,
              graph.textInput(id, NodeClasses.LOAD_IMAGE.equals(classType) ? "image" : "audio")));
    }
    String result = signature.append('}').toString();
    done.put(id, result);
    return result;
  }

  /** Stands in for the loaders' IS_CHANGED file hash: size and modification time. */
  private static String fileIdentity(Directories directories, String value) {
    if (value == null) {
      return "";
    }
    Optional<Path> file = directories.resolveAnnotated(value);
    try {
      return file.isEmpty()
          ? ""
          : Files.size(file.get()) + "@" + Files.getLastModifiedTime(file.get());
    } catch (IOException e) {
      return "";
    }
  }

  synchronized Optional<Entry> get(String signature) {
    return signature == null ? Optional.empty() : Optional.ofNullable(entries.get(signature));
  }

  /** After a prompt: keep entries this prompt used, add the nodes it completed, drop the rest. */
  synchronized void update(Collection<String> promptSignatures, Map<String, Entry> completed) {
    if (!enabled) {
      return;
    }
    Map<String, Entry> next = new HashMap<>();
    for (String signature : promptSignatures) {
      Entry entry = entries.get(signature);
      if (entry != null) {
        next.put(signature, entry);
      }
    }
    next.putAll(completed);
    entries = next;
  }

  synchronized void clear() {
    entries = new HashMap<>();
  }
}
