package io.openavathar.testkit.comfy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulated server has installed: node classes and model files. Validation and {@code
 * /object_info} read the same live sets, so a test can change them while the server runs (a node
 * pack removed, a model deleted).
 */
final class ServerCatalog {

  private final Set<String> installed = ConcurrentHashMap.newKeySet();
  private volatile Map<String, List<String>> models;

  ServerCatalog(Collection<String> installed, Map<String, List<String>> models) {
    this.installed.addAll(installed);
    this.models = Map.copyOf(models);
  }

  /** The installed classes: a live, thread-safe view. */
  Set<String> installed() {
    return installed;
  }

  void replaceInstalled(Collection<String> classes) {
    installed.retainAll(Set.copyOf(classes));
    installed.addAll(classes);
  }

  /** Model files by folder key ({@code diffusion_models}, {@code vae}, ...). */
  Map<String, List<String>> models() {
    return models;
  }
}
