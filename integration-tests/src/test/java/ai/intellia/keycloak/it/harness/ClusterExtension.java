package ai.intellia.keycloak.it.harness;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(ClusterExtension.class)}: ONE two-node {@link Cluster} on PostgreSQL for the
 * whole test run (the {@code cluster} Maven profile), shared by all classes and stopped at its
 * end, like {@link KeycloakExtension}'s single server. Injects {@link Cluster}.
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context).cluster();
    }

    /** Root store, closed by JUnit at the end of the run; a failed start is remembered. */
    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class)
                .orFail();
    }

    private record Running(Cluster cluster, RuntimeException failure) implements AutoCloseable {

        static Running start() {
            try {
                return new Running(Cluster.start(), null);
            } catch (RuntimeException e) {
                return new Running(null, e);
            }
        }

        Running orFail() {
            if (failure != null) {
                throw new IllegalStateException("The cluster did not start", failure);
            }
            return this;
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
