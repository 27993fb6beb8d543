package io.openavathar.testkit.junit5;

import io.openavathar.testkit.runpod.RunPodSimulator;
import io.openavathar.testkit.runpod.RunPodSimulatorBuilder;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts a {@link RunPodSimulator} before each test and closes it after, injecting it into test and
 * lifecycle method parameters of that type.
 *
 * <pre>{@code
 * @ExtendWith(RunPodSimulatorExtension.class)
 * class MyTest {
 *     @Test
 *     void deploys(RunPodSimulator runpod) { ... runpod.apiUrl() ... }
 * }
 *
 * class MyConfiguredTest {
 *     @RegisterExtension
 *     final RunPodSimulatorExtension runpod =
 *             new RunPodSimulatorExtension(builder -> builder.apiKey("test-key").manualTime());
 *
 *     @Test
 *     void deploys() { ... runpod.simulator().apiUrl() ... }
 * }
 * }</pre>
 *
 * <p>Each test gets its own simulator, so tests may run in parallel when they use parameter
 * injection.
 */
public final class RunPodSimulatorExtension extends SimulatorExtension<RunPodSimulator> {

  /** An extension that starts simulators with the builder's defaults. */
  public RunPodSimulatorExtension() {
    this(builder -> {});
  }

  /**
   * An extension that lets {@code configuration} adjust each simulator's builder before it starts.
   *
   * @param configuration called with each builder before the simulator starts
   */
  public RunPodSimulatorExtension(Consumer<RunPodSimulatorBuilder> configuration) {
    super(
        RunPodSimulator.class,
        "RunPod simulator",
        () -> {
          RunPodSimulatorBuilder builder = RunPodSimulator.builder();
          configuration.accept(builder);
          return builder.start();
        });
    Objects.requireNonNull(configuration, "configuration");
  }
}
