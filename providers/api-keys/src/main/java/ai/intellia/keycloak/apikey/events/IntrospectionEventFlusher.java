package ai.intellia.keycloak.apikey.events;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.jpa.JpaEventStoreProviderFactory;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes this node's queued introspection events through Keycloak's JPA store every second, one
 * transaction per batch, and once more when Keycloak begins to shut down (from then on events
 * are written at once). A crash loses at most the last second's queued events of this node.
 */
final class IntrospectionEventFlusher {

    private static final Logger LOG = Logger.getLogger(IntrospectionEventFlusher.class);
    private static final int BATCH_SIZE = 500;
    /** Batches per flush at most, so that a flush under heavy load ends (the next one continues). */
    private static final int MAX_BATCHES_PER_FLUSH = 40;
    /** An event that fails alone this many flushes in a row (a bad row, not a database outage) is given up. */
    private static final int MAX_ATTEMPTS = 5;

    private final KeycloakSessionFactory sessions;
    private final BatchQueue<Queued> queue;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "intellia-introspection-events");
        thread.setDaemon(true);
        return thread;
    });

    IntrospectionEventFlusher(KeycloakSessionFactory sessions, int capacity, long intervalMillis) {
        this.sessions = sessions;
        this.queue = new BatchQueue<>(capacity);
        timer.scheduleWithFixedDelay(this::flushQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Queues an event for the next flush; false (queue full or node stopping) means: write it now. */
    boolean offer(Event event) {
        return queue.offer(new Queued(event, 0));
    }

    /** After the request committed: queue the event, or write it in a transaction of its own. */
    void queueOrWriteNow(Event event) {
        if (offer(event)) {
            return;
        }
        try {
            write(List.of(event));
        } catch (RuntimeException e) {
            LOG.errorf("Could not write introspection event %s (%s)", event.getId(), e.toString());
        }
    }

    /** Keycloak is about to stop; the database still works: write everything, and from now on at once. */
    void onShutdownDelay() {
        queue.close();
        flushQuietly();
    }

    void close() {
        timer.shutdownNow();
        queue.close();
        flushQuietly();
        if (queue.size() > 0) {
            LOG.warnf("%d introspection events could not be written before the shutdown", queue.size());
        }
    }

    private synchronized void flush() {
        for (int round = 0; round < MAX_BATCHES_PER_FLUSH; round++) {
            List<Queued> batch = queue.drain(BATCH_SIZE);
            if (batch.isEmpty()) {
                return;
            }
            try {
                write(batch.stream().map(Queued::event).toList());
            } catch (RuntimeException e) {
                LOG.warnf("Could not write %d introspection events in one transaction (%s); trying one by one", batch.size(), e.toString());
                LOG.debug("Cause", e);
                queue.restore(oneByOne(batch));
                return;
            }
            if (batch.size() < BATCH_SIZE) {
                return;
            }
        }
    }

    /** Writes each event alone; returns those to try again. */
    private List<Queued> oneByOne(List<Queued> batch) {
        List<Queued> again = new ArrayList<>();
        for (Queued queued : batch) {
            try {
                write(List.of(queued.event()));
            } catch (RuntimeException e) {
                if (queued.failures() + 1 < MAX_ATTEMPTS) {
                    again.add(new Queued(queued.event(), queued.failures() + 1));
                } else {
                    LOG.errorf("Gave up writing introspection event %s of realm %s (%s)", queued.event().getId(),
                            queued.event().getRealmId(), e.toString());
                }
            }
        }
        return again;
    }

    private void write(List<Event> events) {
        KeycloakModelUtils.runJobInTransaction(sessions, s -> {
            EventStoreProvider jpa = s.getProvider(EventStoreProvider.class, JpaEventStoreProviderFactory.ID);
            events.forEach(jpa::onEvent);
        });
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not write introspection events", e);
        }
    }

    private record Queued(Event event, int failures) {
    }
}
