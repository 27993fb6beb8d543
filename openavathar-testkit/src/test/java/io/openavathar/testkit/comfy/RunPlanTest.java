package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RunPlanTest {

  @Test
  void plan_for250Frames_hasFourWindowsAndAnEstimateOf24() {
    RunPlan plan = RunPlan.of(480, 832, 250, 6, 81, 9);

    assertThat(plan.windows()).isEqualTo(4);
    assertThat(plan.progressMax()).isEqualTo(24);
    assertThat(plan.videoFrames()).isEqualTo(297);
  }

  @Test
  void plan_for81Frames_overestimatesProgressAsTheSamplerDoes() {
    RunPlan plan = RunPlan.of(480, 832, 81, 6, 81, 9);

    assertThat(plan.windows()).isEqualTo(1);
    assertThat(plan.progressMax()).isEqualTo(12);
    assertThat(plan.videoFrames()).isEqualTo(81);
  }

  @Test
  void plan_forFewFrames_stillRendersOneWholeWindow() {
    RunPlan plan = RunPlan.of(480, 832, 30, 6, 81, 9);

    assertThat(plan.windows()).isEqualTo(1);
    assertThat(plan.videoFrames()).isEqualTo(81);
  }

  @Test
  void plan_fromTheGraph_capsFramesByAudioAndMaxFrames() {
    Graph graph = new Graph(TestWorkflows.infiniteTalk("face.png", "voice.wav"));
    TestWorkflows.inputs(graph.json(), "270").put("value", 100);
    TestWorkflows.inputs(graph.json(), "245").put("value", 832);
    TestWorkflows.inputs(graph.json(), "246").put("value", 480);

    RunPlan capped = RunPlan.of(graph, graph.ids(), id -> OptionalDouble.of(10.0));
    RunPlan unreadable = RunPlan.of(graph, graph.ids(), id -> OptionalDouble.empty());

    assertThat(capped.frames()).isEqualTo(100);
    assertThat(capped.portrait()).isFalse();
    assertThat(capped.width()).isEqualTo(832);
    assertThat(unreadable.frames()).isEqualTo(100); // 5 s fallback = 125 frames, capped at 100
  }
}
