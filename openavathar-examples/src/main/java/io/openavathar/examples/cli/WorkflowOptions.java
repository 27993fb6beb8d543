package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import io.openavathar.workflow.NodeInput;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --workflow FILE --bind NAME=NODE.INPUT ... [--output-node NODE]}: run your own API-format
 * graph.
 */
final class WorkflowOptions {
  @Option(
      names = "--workflow",
      paramLabel = "FILE",
      description =
          "Your own ComfyUI workflow, exported with 'Save (API Format)', instead of the bundled InfiniteTalk"
              + " one. Say with --bind where the image and the audio go. The job keeps it: `jobs run` and `jobs retry`"
              + " run the same graph.")
  Path workflow;

  @Option(
      names = "--bind",
      paramLabel = "NAME=NODE.INPUT",
      description =
          "Which node input of --workflow receives a value (repeatable), e.g. image=1.image"
              + " audio=2.audio. NAME: image and audio (required), prompt, negative-prompt, width, height, max-frames,"
              + " audio-cfg, seed, output-prefix (optional: not patched when unbound); output=NODE names the node that"
              + " saves the video (default: the graph's one SaveVideo or VHS_VideoCombine).")
  List<String> binds = new ArrayList<>();

  @Option(
      names = "--output-node",
      paramLabel = "NODE",
      description = "The --workflow node whose file is the video (the same as --bind output=NODE).")
  String outputNode;

  /**
   * The template the options describe; empty without {@code --workflow} (the studio's bundled one
   * runs).
   */
  Optional<WorkflowTemplate> template() {
    if (workflow == null) {
      if (!binds.isEmpty() || outputNode != null) {
        throw new IllegalArgumentException(
            (binds.isEmpty() ? "--output-node" : "--bind")
                + " needs --workflow FILE: it names inputs of your own workflow");
      }
      return Optional.empty();
    }
    Map<WorkflowBinding, NodeInput> bindings = new EnumMap<>(WorkflowBinding.class);
    String output = outputNode;
    for (String bind : binds) {
      int eq = bind.indexOf('=');
      String name = eq < 0 ? bind : bind.substring(0, eq).trim();
      String target = eq < 0 ? "" : bind.substring(eq + 1).trim();
      if (name.equalsIgnoreCase("output") && !target.isEmpty()) {
        output = target;
        continue;
      }
      WorkflowBinding binding =
          WorkflowBinding.fromKey(name)
              .orElseThrow(() -> bad(bind, "'" + name + "' is not a value to bind"));
      int dot = target.lastIndexOf('.');
      if (dot <= 0 || dot == target.length() - 1) {
        throw bad(
            bind,
            "say NODE.INPUT after the '=', for example " + binding.key() + "=1." + binding.key());
      }
      bindings.put(binding, NodeInput.of(target.substring(0, dot), target.substring(dot + 1)));
    }
    WorkflowTemplate.Builder b =
        WorkflowTemplate.builder().graph(WorkflowTemplate.readGraph(workflow)).bindAll(bindings);
    if (output != null) {
      b.outputNode(output);
    }
    return Optional.of(b.build());
  }

  private static InvalidInputException bad(String bind, String why) {
    List<String> names = new ArrayList<>();
    for (WorkflowBinding b : WorkflowBinding.values()) {
      names.add(b.key());
    }
    return new InvalidInputException(
        Setting.WORKFLOW_BINDING,
        "'"
            + bind
            + "' is not NAME=NODE.INPUT: "
            + why
            + ". NAME is one of "
            + String.join(", ", names)
            + ", or output=NODE.",
        null);
  }
}
