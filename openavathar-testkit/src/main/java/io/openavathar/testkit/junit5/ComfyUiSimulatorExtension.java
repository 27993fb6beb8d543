package io.openavathar.testkit.junit5;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link ComfyUiSimulator} before each test and closes it after, injecting it into test and lifecycle
 * method parameters of that type.
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
 * <p>Each test gets its own simulator, so tests may run in parallel when they use parameter injection.
 */
public final class ComfyUiSimulatorExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ComfyUiSimulatorExtension.class);

    private final Consumer<ComfyUiSimulatorBuilder> configuration;
    private volatile ComfyUiSimulator current;

    /** An extension that starts simulators with the builder's defaults. */
    public ComfyUiSimulatorExtension() {
        this(builder -> { });
    }

    /** An extension that lets {@code configuration} adjust each simulator's builder before it starts. */
    public ComfyUiSimulatorExtension(Consumer<ComfyUiSimulatorBuilder> configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
    }

    /**
     * The simulator of the test that is running, for use with {@code @RegisterExtension}.
     *
     * @throws IllegalStateException outside a test
     */
    public ComfyUiSimulator simulator() {
        ComfyUiSimulator simulator = current;
        if (simulator == null) {
            throw new IllegalStateException("No ComfyUI simulator is running: simulator() works only inside a test "
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
        ComfyUiSimulator simulator = context.getStore(NAMESPACE).remove(ComfyUiSimulator.class,
                ComfyUiSimulator.class);
        if (simulator != null) {
            if (current == simulator) {
                current = null;
            }
            simulator.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ComfyUiSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("A ComfyUiSimulator can be injected only into test methods and "
                    + "@BeforeEach/@AfterEach methods; it lives for one test");
        }
        return simulatorFor(context);
    }

    private ComfyUiSimulator simulatorFor(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        ComfyUiSimulator simulator = store.get(ComfyUiSimulator.class, ComfyUiSimulator.class);
        if (simulator == null) {
            ComfyUiSimulatorBuilder builder = ComfyUiSimulator.builder();
            configuration.accept(builder);
            simulator = builder.start();
            store.put(ComfyUiSimulator.class, simulator);
            current = simulator;
        }
        return simulator;
    }
}
