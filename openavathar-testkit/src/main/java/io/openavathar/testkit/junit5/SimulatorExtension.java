package io.openavathar.testkit.junit5;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One simulator per test: started before each test, closed after, injected into parameters of its
 * type. The public extensions ({@link ComfyUiSimulatorExtension}, {@link RunPodSimulatorExtension})
 * only say which simulator and how to start it.
 */
abstract class SimulatorExtension<S extends AutoCloseable>
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private final Class<S> type;
  private final String name;
  private final Supplier<S> starter;
  private final ExtensionContext.Namespace namespace;
  private volatile S current;

  SimulatorExtension(Class<S> type, String name, Supplier<S> starter) {
    this.type = type;
    this.name = name;
    this.starter = Objects.requireNonNull(starter, "starter");
    this.namespace = ExtensionContext.Namespace.create(getClass());
  }

  /**
   * The simulator of the test that is running, for use with {@code @RegisterExtension}.
   *
   * @return the running simulator
   * @throws IllegalStateException outside a test
   */
  public S simulator() {
    S simulator = current;
    if (simulator == null) {
      throw new IllegalStateException(
          "No "
              + name
              + " is running: simulator() works only inside a test "
              + "(between beforeEach and afterEach)");
    }
    return simulator;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    simulatorFor(context);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    S simulator = context.getStore(namespace).remove(type, type);
    if (simulator != null) {
      if (current == simulator) {
        current = null;
      }
      simulator.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "A "
              + type.getSimpleName()
              + " can be injected only into test methods "
              + "and @BeforeEach/@AfterEach methods; it lives for one test");
    }
    return simulatorFor(context);
  }

  private S simulatorFor(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(namespace);
    S simulator = store.get(type, type);
    if (simulator == null) {
      simulator = starter.get();
      store.put(type, simulator);
      current = simulator;
    }
    return simulator;
  }
}
