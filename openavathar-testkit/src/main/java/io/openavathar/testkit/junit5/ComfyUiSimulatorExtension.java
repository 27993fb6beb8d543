package io.openavathar.testkit.junit5;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts a {@link ComfyUiSimulator} before each test and closes it after, injecting it into test
 * and lifecycle method parameters of that type.
 *
 * <pre>{@code
 * @ExtendWith(ComfyUiSimulatorExtension.class)
 * class MyTest {
 *     @Test
 *     void generates(ComfyUiSimulator comfy) { ... comfy.baseUrl() ... }
 * }
 *
 * class MyConfiguredTest {
 *     @RegisterExtension
 *     final ComfyUiSimulatorExtension comfy =
 *             new ComfyUiSimulatorExtension(builder -> builder.pathPrefix("/comfy").stepDelay(Duration.ZERO));
 *
 *     @Test
 *     void generates() { ... comfy.simulator().baseUrl() ... }
 * }
 * }</pre>
 *
 * <p>Each test gets its own simulator, so tests may run in parallel when they use parameter
 * injection.
 */
public final class ComfyUiSimulatorExtension extends SimulatorExtension<ComfyUiSimulator> {

  /** An extension that starts simulators with the builder's defaults. */
  public ComfyUiSimulatorExtension() {
    this(builder -> {});
  }

  /**
   * An extension that lets {@code configuration} adjust each simulator's builder before it starts.
   *
   * @param configuration called with each builder before the simulator starts
   */
  public ComfyUiSimulatorExtension(Consumer<ComfyUiSimulatorBuilder> configuration) {
    super(
        ComfyUiSimulator.class,
        "ComfyUI simulator",
        () -> {
          ComfyUiSimulatorBuilder builder = ComfyUiSimulator.builder();
          configuration.accept(builder);
          return builder.start();
        });
    Objects.requireNonNull(configuration, "configuration");
  }
}
