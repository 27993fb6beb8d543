package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobProgressTest {
  @Test
  void stage_isTheMessage_whenNotSetApart() {
    JobProgress p =
        JobProgress.builder(JobState.WAITING_FOR_POD).message("Starting pod abc").build();

    assertThat(p.stage()).isEqualTo("Starting pod abc");
    assertThat(p.toBuilder().message("Pod is ready").build().stage()).isEqualTo("Pod is ready");
  }

  @Test
  void stage_setApart_staysWhileTheMessageMoves_andCountsForEquality() {
    JobProgress p =
        JobProgress.builder(JobState.GENERATING)
            .stage("Generating window 2 of 4")
            .message("Generating window 2 of 4, step 3 of 6")
            .build();
    JobProgress next = p.toBuilder().message("Generating window 2 of 4, step 4 of 6").build();

    assertThat(next.stage()).isEqualTo("Generating window 2 of 4");
    assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    assertThat(p.toBuilder().stage("Saving the video").build()).isNotEqualTo(p);
  }
}
