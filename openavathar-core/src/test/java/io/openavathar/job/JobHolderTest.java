package io.openavathar.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobHolderTest {
  static final Instant UNTIL = Instant.parse("2026-12-06T05:42:10.5Z");

  @Test
  void description_namesHostPidAndLeaseEnd_orSaysWhatIsUnknown() {
    assertThat(JobHolder.of("j1", "gpu-box", 4711, UNTIL).description())
        .isEqualTo("a studio on host gpu-box (pid 4711) until 2026-12-06 05:42:10 UTC");
    assertThat(JobHolder.of("j1", "", 0, UNTIL).description())
        .isEqualTo("another studio until 2026-12-06 05:42:10 UTC");
    assertThat(JobHolder.of("j1", "", 0, UNTIL).pid()).isEmpty();
  }

  @Test
  void equalsHashCodeAndToString() {
    JobHolder a = JobHolder.of("j1", "gpu-box", 4711, UNTIL);

    assertThat(a)
        .isEqualTo(JobHolder.of("j1", "gpu-box", 4711, UNTIL))
        .hasSameHashCodeAs(JobHolder.of("j1", "gpu-box", 4711, UNTIL));
    assertThat(a)
        .isNotEqualTo(JobHolder.of("j1", "gpu-box", 4712, UNTIL))
        .isNotEqualTo(JobHolder.of("j2", "gpu-box", 4711, UNTIL))
        .isNotEqualTo(JobHolder.of("j1", "gpu-box", 4711, UNTIL.plusSeconds(1)));
    assertThat(a)
        .hasToString(
            "JobHolder{job=j1, a studio on host gpu-box (pid 4711) until 2026-12-06 05:42:10 UTC}");
  }
}
