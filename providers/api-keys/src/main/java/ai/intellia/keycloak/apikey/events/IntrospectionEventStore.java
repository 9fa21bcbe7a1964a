package ai.intellia.keycloak.apikey.events;

import jakarta.persistence.EntityManager;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.jpa.JpaEventStoreProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * Keycloak's JPA event store, except that successful introspections are not inserted in the
 * request's transaction: once that transaction commits they join this node's queue, which
 * {@link IntrospectionEventFlusher} writes once a second. Everything else (error events, token
 * exchange, admin events, queries, expiry) is the JPA store's, unchanged.
 *
 * <p>Which events reach a store at all is decided before, by {@code EventBuilder} (the realm's
 * "save events" switch and enabled types); listeners other than the store are called by it
 * directly, so they still see every event at once.
 *
 * <p>It extends rather than wraps the JPA store because Keycloak's
 * {@code JpaEventStoreProviderFactory.invalidate} (the scheduled expiry of admin events) casts
 * the default {@code EventStoreProvider} to {@code JpaEventStoreProvider}.
 */
final class IntrospectionEventStore extends JpaEventStoreProvider {

    private final KeycloakSession session;
    private final IntrospectionEventFlusher flusher;

    IntrospectionEventStore(KeycloakSession session, EntityManager em, IntrospectionEventFlusher flusher) {
        super(session, em);
        this.session = session;
        this.flusher = flusher;
    }

    static boolean isBatched(Event event) {
        return event.getType() == EventType.INTROSPECT_TOKEN && event.getError() == null;
    }

    @Override
    public void onEvent(Event event) {
        if (!isBatched(event)) {
            super.onEvent(event);
            return;
        }
        // EventBuilder reuses its Event object; time and id are already the request's.
        Event copy = event.clone();
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (!transaction.isActive()) {
            if (!flusher.offer(copy)) {
                super.onEvent(event);
            }
            return;
        }
        // Like the insert it replaces, only what the request commits is recorded.
        transaction.enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                flusher.queueOrWriteNow(copy);
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
