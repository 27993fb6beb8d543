package io.openavathar.testkit.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own empty database on the JVM's shared {@link PostgresServer}: a {@link
 * PostgresDatabase} parameter of any test, lifecycle method or constructor gets it. Tests that need
 * a fresh database each call {@code PostgresServer.shared().createDatabase(...)} instead.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class MyStoreTest {
 *     @Test
 *     void stores(PostgresDatabase db) { ... db.jdbcUrl() ... }
 * }
 * }</pre>
 */
public final class PostgresExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  /** Used by JUnit. */
  public PostgresExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent() && classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NAMESPACE)
        .computeIfAbsent(
            testClass,
            c -> PostgresServer.shared().createDatabase(testClass.getSimpleName()),
            PostgresDatabase.class);
  }
}
