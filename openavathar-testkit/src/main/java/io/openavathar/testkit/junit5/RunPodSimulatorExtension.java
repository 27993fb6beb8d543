package io.openavathar.testkit.junit5;

import io.openavathar.testkit.runpod.RunPodSimulator;
import io.openavathar.testkit.runpod.RunPodSimulatorBuilder;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link RunPodSimulator} before each test and closes it after, injecting it into test and lifecycle
 * method parameters of that type.
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
 * <p>Each test gets its own simulator, so tests may run in parallel when they use parameter injection.
 */
public final class RunPodSimulatorExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RunPodSimulatorExtension.class);

    private final Consumer<RunPodSimulatorBuilder> configuration;
    private volatile RunPodSimulator current;

    /** An extension that starts simulators with the builder's defaults. */
    public RunPodSimulatorExtension() {
        this(builder -> { });
    }

    /** An extension that lets {@code configuration} adjust each simulator's builder before it starts. */
    public RunPodSimulatorExtension(Consumer<RunPodSimulatorBuilder> configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
    }

    /**
     * The simulator of the test that is running, for use with {@code @RegisterExtension}.
     *
     * @throws IllegalStateException outside a test
     */
    public RunPodSimulator simulator() {
        RunPodSimulator simulator = current;
        if (simulator == null) {
            throw new IllegalStateException("No RunPod simulator is running: simulator() works only inside a test "
                    + "(between beforeEach and afterEach)");
        }
        return simulator;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulatorFor(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RunPodSimulator simulator = context.getStore(NAMESPACE).remove(RunPodSimulator.class, RunPodSimulator.class);
        if (simulator != null) {
            if (current == simulator) {
                current = null;
            }
            simulator.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunPodSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("A RunPodSimulator can be injected only into test methods and "
                    + "@BeforeEach/@AfterEach methods; it lives for one test");
        }
        return simulatorFor(context);
    }

    private RunPodSimulator simulatorFor(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        RunPodSimulator simulator = store.get(RunPodSimulator.class, RunPodSimulator.class);
        if (simulator == null) {
            RunPodSimulatorBuilder builder = RunPodSimulator.builder();
            configuration.accept(builder);
            simulator = builder.start();
            store.put(RunPodSimulator.class, simulator);
            current = simulator;
        }
        return simulator;
    }
}
