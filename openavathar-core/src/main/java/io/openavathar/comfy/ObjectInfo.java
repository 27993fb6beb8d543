package io.openavathar.comfy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code GET /object_info} says about a server: the node classes it has installed and, per
 * class, the choice lists of its combo inputs (model files for loaders, fixed options otherwise).
 * Immutable.
 *
 * <p>Only choice lists the server checks a value against are kept: upload combos ({@code
 * image_upload}, {@code audio_upload}, ...: the node checks the file itself and accepts names not
 * listed) and remote combos (the front end fetches their options) are left out, as are inputs of
 * other types.
 */
public final class ObjectInfo {
  private final Set<String> nodeClasses;
  private final Map<String, Map<String, List<String>>> choices;

  private ObjectInfo(Set<String> nodeClasses, Map<String, Map<String, List<String>>> choices) {
    this.nodeClasses = Collections.unmodifiableSet(new TreeSet<>(nodeClasses));
    Map<String, Map<String, List<String>>> copy = new TreeMap<>();
    choices.forEach((c, inputs) -> copy.put(c, Map.copyOf(inputs)));
    this.choices = Collections.unmodifiableMap(copy);
  }

  /**
   * An object info of these classes and choice lists (class, then input name, then the allowed
   * values); for tests and for callers that learned a server's nodes another way.
   *
   * @param nodeClasses the installed node classes
   * @param choices the choice lists by class and input name
   * @return the object info
   */
  public static ObjectInfo of(
      Set<String> nodeClasses, Map<String, Map<String, List<String>>> choices) {
    Objects.requireNonNull(nodeClasses, "nodeClasses");
    Objects.requireNonNull(choices, "choices");
    for (String c : choices.keySet()) {
      if (!nodeClasses.contains(c)) {
        throw new IllegalArgumentException(
            "choices name class " + c + ", which is not among the node classes");
      }
    }
    Map<String, Map<String, List<String>>> lists = new TreeMap<>();
    choices.forEach(
        (c, inputs) -> {
          Map<String, List<String>> byInput = new TreeMap<>();
          inputs.forEach((input, values) -> byInput.put(input, List.copyOf(values)));
          lists.put(c, byInput);
        });
    return new ObjectInfo(nodeClasses, lists);
  }

  /**
   * The installed node classes, sorted.
   *
   * @return the class names, immutable
   */
  public Set<String> nodeClasses() {
    return nodeClasses;
  }

  /**
   * Whether the server has the node class {@code classType}.
   *
   * @param classType the node class, for example {@code "LoadImage"}
   * @return true if installed
   */
  public boolean has(String classType) {
    return nodeClasses.contains(classType);
  }

  /**
   * The values the server accepts for input {@code inputName} of {@code classType}, in its order;
   * empty when that input is not a checked choice list (or the class or input is unknown).
   *
   * @param classType the node class
   * @param inputName the input's name
   * @return the allowed values, or empty
   */
  public Optional<List<String>> choices(String classType, String inputName) {
    return Optional.ofNullable(choices.getOrDefault(classType, Map.of()).get(inputName));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectInfo other
        && nodeClasses.equals(other.nodeClasses)
        && choices.equals(other.choices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeClasses, choices);
  }

  @Override
  public String toString() {
    return "ObjectInfo{"
        + nodeClasses.size()
        + " node classes, "
        + choices.values().stream().mapToInt(Map::size).sum()
        + " choice lists}";
  }
}
