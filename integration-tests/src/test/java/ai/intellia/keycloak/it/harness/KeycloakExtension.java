package ai.intellia.keycloak.it.harness;

import ai.intellia.keycloak.it.harness.KeycloakServer.Settings;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(KeycloakExtension.class)}: ONE Keycloak for the whole test run, shared by
 * all test classes and stopped at its end, chosen by {@code -Dkeycloak.server=dist|container}.
 * Injects {@link KeycloakServer} and {@link AdminClient} into constructors and methods.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakServer.class || type == AdminClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = running(context);
        return parameter.getParameter().getType() == AdminClient.class ? running.admin() : running.server();
    }

    /**
     * Started on first use, kept in the root store: JUnit closes AutoCloseable store values when
     * the run ends (Store.CloseableResource is deprecated since JUnit 5.13). A failed start is
     * remembered, so later classes fail at once instead of starting again.
     */
    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class)
                .orFail();
    }

    private record Running(KeycloakServer server, AdminClient admin, RuntimeException failure) implements AutoCloseable {

        static Running start() {
            try {
                String kind = Settings.get("keycloak.server", "dist");
                KeycloakServer server = switch (kind) {
                    case "dist" -> DistributionKeycloak.start();
                    case "container" -> ContainerKeycloak.start();
                    default -> throw new IllegalArgumentException("keycloak.server must be dist or container, not " + kind);
                };
                return new Running(server, new AdminClient(server), null);
            } catch (RuntimeException e) {
                return new Running(null, null, e);
            }
        }

        Running orFail() {
            if (failure != null) {
                throw new IllegalStateException("Keycloak did not start", failure);
            }
            return this;
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
