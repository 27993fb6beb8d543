package io.openavathar.workflow;

import io.openavathar.InvalidInputException;
import io.openavathar.testkit.internal.Fuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a workflow file holds and wherever its bindings point, loading it returns a template or
 * throws {@link InvalidInputException}; a template that loads can always be patched.
 */
class WorkflowTemplatePropertyTest {
  private static final WorkflowTemplate BUNDLED = InfiniteTalkWorkflow.template();
  private static final WorkflowParameters PARAMS =
      WorkflowParameters.builder()
          .image("face.png")
          .audio("speech.wav")
          .prompt("a man is talking")
          .negativePrompt("blur")
          .audioCfgScale(4.5)
          .size(832, 480)
          .maxFrames(250)
          .seed(1234)
          .outputPrefix("OpenAvathar/job-1")
          .build();

  @TempDir Path dir;
  private final AtomicInteger files = new AtomicInteger();

  @Test
  void anyFileAndBindingsLoadOrAreRejected() {
    Fuzz.forAll(
        500,
        WorkflowTemplatePropertyTest::attempt,
        attempt -> {
          // getBytes, not writeString: it replaces a lone surrogate instead of refusing it.
          Path file =
              Files.write(
                  dir.resolve("workflow-" + files.incrementAndGet() + ".json"),
                  attempt.content().getBytes(StandardCharsets.UTF_8));
          Fuzz.returnsOrThrows(
              ignored -> {
                WorkflowTemplate template = WorkflowTemplate.load(file, attempt.bindings());
                Fuzz.write(template.patch(PARAMS));
                template.samplerSteps();
              },
              InvalidInputException.class);
        });
  }

  private record Attempt(String content, Map<WorkflowBinding, NodeInput> bindings) {}

  private static Attempt attempt(Random random) {
    Map<WorkflowBinding, NodeInput> bindings = new EnumMap<>(BUNDLED.bindings());
    if (random.nextInt(3) == 0) {
      List<String> nodes = new ArrayList<>();
      BUNDLED.graph().fieldNames().forEachRemaining(nodes::add);
      WorkflowBinding b = WorkflowBinding.values()[random.nextInt(WorkflowBinding.values().length)];
      String node =
          random.nextBoolean() ? nodes.get(random.nextInt(nodes.size())) : Fuzz.text(random);
      String input = random.nextBoolean() ? "image" : Fuzz.text(random);
      if (random.nextInt(4) == 0) {
        bindings.remove(b);
      } else {
        bindings.put(b, NodeInput.of(node, input));
      }
    }
    return new Attempt(Fuzz.jsonText(random, BUNDLED.graph()), bindings);
  }
}
