package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClaimOwnerTest {
  static final ClaimOwner SELF = ClaimOwner.newStudio();

  @Test
  void text_roundTrips_andTwoStudiosInOneProcessDiffer() {
    ClaimOwner other = ClaimOwner.newStudio();

    assertThat(ClaimOwner.parse(SELF.text()))
        .hasValueSatisfying(
            o -> {
              assertThat(o.text()).isEqualTo(SELF.text());
              assertThat(o.pid()).isEqualTo(ProcessHandle.current().pid());
              assertThat(o.host()).isEqualTo(SELF.host());
            });
    assertThat(other.text()).isNotEqualTo(SELF.text());
    assertThat(other.pid()).isEqualTo(SELF.pid());
  }

  @Test
  void parse_ofWhatOlderSdksOrOtherWritersLeft_isEmpty() {
    assertThat(ClaimOwner.parse("engine-6f1c0f9e-1111-2222-3333-444455556666")).isEmpty();
    assertThat(ClaimOwner.parse("{not json")).isEmpty();
    assertThat(ClaimOwner.parse("{\"host\":\"h\"}")).isEmpty();
    assertThat(
            ClaimOwner.parse(
                "{\"studio\":\"s\",\"host\":\"h\",\"pid\":1,\"started\":\"yesterday\"}"))
        .isEmpty();
  }

  @Test
  void thisProcess_isNotGone() {
    assertThat(SELF.isGoneFromThisHost()).isFalse();
    assertThat(ClaimOwner.newStudio().isGoneFromThisHost()).isFalse();
  }

  @Test
  void anEndedProcessOnThisHost_isGone() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(new ClaimOwner("s", SELF.host(), p.pid(), null).isGoneFromThisHost()).isTrue();
  }

  @Test
  void aReusedPid_startedAtAnotherTime_isGone() {
    Instant started = ProcessHandle.current().info().startInstant().orElseThrow();

    assertThat(
            new ClaimOwner("s", SELF.host(), SELF.pid(), started.minusSeconds(3600))
                .isGoneFromThisHost())
        .isTrue();
    assertThat(new ClaimOwner("s", SELF.host(), SELF.pid(), started).isGoneFromThisHost())
        .isFalse();
    assertThat(new ClaimOwner("s", SELF.host(), SELF.pid(), null).isGoneFromThisHost()).isFalse();
  }

  @Test
  void anotherHost_orAnUnknownHost_isNeverGone_evenWithADeadPid() {
    assertThat(new ClaimOwner("s", "some-other-host", Long.MAX_VALUE, null).isGoneFromThisHost())
        .isFalse();
    assertThat(new ClaimOwner("s", "", Long.MAX_VALUE, null).isGoneFromThisHost()).isFalse();
  }

  @Test
  void toString_namesStudioHostAndPid() {
    assertThat(new ClaimOwner("s-1", "gpu-box", 42, null))
        .hasToString("studio s-1 on host gpu-box (pid 42)");
  }
}
