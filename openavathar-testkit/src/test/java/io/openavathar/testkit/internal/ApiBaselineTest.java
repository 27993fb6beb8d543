package io.openavathar.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiBaselineTest {
  @Test
  void listsPublicTypesAndMembersButNotInternalOrPackagePrivateOnes() {
    List<String> api = ApiBaseline.describe(ComfyUiSimulator.class);

    assertThat(api)
        .anyMatch(
            line ->
                line.matches(
                    "final class io\\.openavathar\\.testkit\\.comfy\\.ComfyUiSimulator.*"));
    assertThat(api)
        .anyMatch(line -> line.contains("io.openavathar.testkit.comfy.ComfyUiSimulator.builder()"));
    assertThat(api).noneMatch(line -> line.contains(".internal."));
    assertThat(api)
        .noneMatch(line -> line.contains("class io.openavathar.testkit.comfy.PromptQueue"));
    assertThat(ApiBaseline.typeCount(api)).isPositive();
  }

  @Test
  void failsWithTheDiffAndTheUpdateCommand(@TempDir Path dir) throws Exception {
    Path baseline = dir.resolve("public-api.txt");
    List<String> api = ApiBaseline.describe(ComfyUiSimulator.class);
    Files.write(baseline, api.subList(1, api.size()));
    Files.writeString(
        baseline, "class io.openavathar.Gone\n", java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(
            () -> ApiBaseline.check(ComfyUiSimulator.class, baseline, "openavathar-testkit", false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("+ " + api.get(0))
        .hasMessageContaining("- class io.openavathar.Gone")
        .hasMessageContaining("-Dapi.update=true");
  }

  @Test
  void passesWhenTheBaselineMatches(@TempDir Path dir) throws Exception {
    Path baseline = dir.resolve("public-api.txt");
    Files.write(baseline, ApiBaseline.describe(ComfyUiSimulator.class));

    ApiBaseline.check(ComfyUiSimulator.class, baseline, "openavathar-testkit", false);
  }
}
