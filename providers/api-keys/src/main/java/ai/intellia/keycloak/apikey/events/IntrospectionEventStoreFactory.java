package ai.intellia.keycloak.apikey.events;

import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventStoreProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.ShutdownDelayInitiatedEvent;

/**
 * The event store: Keycloak's JPA store with successful introspections written in batches
 * (issue 12: storing one event row per introspection cost more than the verification). Its
 * {@link #order()} above the JPA factory's 0 makes it the default without configuration
 * ({@code DefaultKeycloakSessionFactory.resolveDefaultProvider}); {@code
 * --spi-events-store--provider=jpa} brings back the plain store.
 */
public final class IntrospectionEventStoreFactory implements EventStoreProviderFactory {

    public static final String PROVIDER_ID = "jpa-batched-introspection";

    /** Events queued per node, ≈ 1 KiB each (≤ 20 MiB); past it, events are written at once. */
    private static final int CAPACITY = 20_000;
    private static final long FLUSH_INTERVAL_MILLIS = 1000;

    private IntrospectionEventFlusher flusher;

    @Override
    public EventStoreProvider create(KeycloakSession session) {
        return new IntrospectionEventStore(session, session.getProvider(JpaConnectionProvider.class).getEntityManager(), flusher);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        flusher = new IntrospectionEventFlusher(factory, CAPACITY, FLUSH_INTERVAL_MILLIS);
        factory.register(event -> {
            if (event instanceof ShutdownDelayInitiatedEvent) {
                flusher.onShutdownDelay();
            }
        });
    }

    @Override
    public void close() {
        if (flusher != null) {
            flusher.close();
        }
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
