package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.GenerationRequest;
import io.openavathar.internal.Json;
import io.openavathar.testkit.comfy.StandInWorkflow;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A job's request is stored with the workflow it runs, so that a resume or retry runs the same
 * graph.
 */
class RequestJsonTest {
  private static final GenerationRequest REQUEST =
      GenerationRequest.builder()
          .image(Path.of("/tmp/portrait.png"))
          .audio(Path.of("/tmp/speech.wav"))
          .seed(7)
          .build();

  static WorkflowTemplate standIn() {
    try {
      return WorkflowTemplate.builder()
          .graph((ObjectNode) Json.mapper().readTree(StandInWorkflow.json()))
          .bind(WorkflowBinding.IMAGE, "1", "image")
          .bind(WorkflowBinding.AUDIO, "2", "audio")
          .bind(WorkflowBinding.MAX_FRAMES, "4", "amount")
          .samplerNode("4")
          .fps(30)
          .windows(40, 4)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aUserWorkflow_isStoredWhole_andReadBackEqual() {
    WorkflowTemplate mine = standIn();

    GenerationRequest read = RequestJson.read(RequestJson.write(REQUEST, mine));

    assertThat(read.workflow()).contains(mine);
    assertThat(read.workflow().orElseThrow().outputNodeId()).contains("6");
    assertThat(read.toBuilder().build()).isEqualTo(REQUEST.toBuilder().workflow(mine).build());
  }

  @Test
  void theBundledWorkflow_isStoredByName() throws IOException {
    String json = RequestJson.write(REQUEST, InfiniteTalkWorkflow.template());

    assertThat(Json.mapper().readTree(json).get("workflow").asText()).isEqualTo("infinitetalk");
    assertThat(RequestJson.read(json).workflow()).contains(InfiniteTalkWorkflow.template());
  }

  @Test
  void aRowFromBeforeWorkflowsWereStored_runsTheStudiosWorkflow() throws IOException {
    ObjectNode old = (ObjectNode) Json.mapper().readTree(RequestJson.write(REQUEST, standIn()));
    old.remove("workflow");

    assertThat(RequestJson.read(old.toString()).workflow()).isEmpty();
  }
}
