package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.UsageDays;
import ai.intellia.keycloak.apikey.store.PendingUses.Ledger;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the pending key uses of this node every {@code interval}, one transaction per
 * organization (a failure in one organization never loses another's), and once more when
 * Keycloak begins to shut down. Verification itself never writes to the database.
 *
 * <p>Nodes of a cluster merge into the same attribute; a write can overwrite another node's
 * that happened at the same instant, so each node reads back what it wrote and writes again
 * what is missing.
 */
final class UsageFlusher {

    private static final Logger LOG = Logger.getLogger(UsageFlusher.class);
    private static final int ATTEMPTS = 3;

    private final KeycloakSessionFactory sessions;
    private final PendingUses pending;
    private final PendingCounts counts;
    private final String nodeId;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "intellia-api-keys-last-used");
        thread.setDaemon(true);
        return thread;
    });

    UsageFlusher(KeycloakSessionFactory sessions, PendingUses pending, PendingCounts counts, String nodeId, long intervalSeconds) {
        this.sessions = sessions;
        this.pending = pending;
        this.counts = counts;
        this.nodeId = nodeId;
        timer.scheduleWithFixedDelay(this::flushQuietly, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    /**
     * Keycloak is about to stop (its shutdown delay, 1 s by default, has begun): the database and
     * caches still work, so write what is pending now. By {@link #close()} they are gone.
     */
    void onShutdownDelay() {
        flushQuietly();
    }

    void close() {
        timer.shutdownNow();
        if (pending.size() > 0) {
            LOG.infof("%d API key uses noted after the shutdown began were not written", pending.size());
        }
    }

    private void flush() {
        pending.drain().forEach(this::flush);
        LocalDate today = UsageDays.today(Clock.systemUTC());
        counts.drain(today.toEpochDay()).forEach((ledger, batch) -> flushCounts(ledger, batch, today));
    }

    /** One transaction per organization; on failure the counts go back, to be added next time. */
    private void flushCounts(Ledger ledger, Map<String, UsageDays> batch, LocalDate today) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, s -> UsageLedger.writeCounts(s, ledger, nodeId, batch, today));
        } catch (RuntimeException e) {
            LOG.warnf("Could not write the usage counts of API keys of organization %s (%s); will try again",
                    ledger.organizationId(), e.toString());
            LOG.debug("Cause", e);
            counts.restore(ledger, batch);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not write the last use of API keys", e);
        }
    }

    private void flush(Ledger ledger, Map<String, Long> uses) {
        Map<String, Long> toWrite = uses;
        try {
            for (int attempt = 1; attempt <= ATTEMPTS && !toWrite.isEmpty(); attempt++) {
                Map<String, Long> batch = toWrite;
                boolean exists = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> UsageLedger.write(s, ledger, batch));
                if (!exists) {
                    return; // the organization is gone: so are its keys
                }
                toWrite = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> UsageLedger.overwritten(s, ledger, batch));
            }
            if (!toWrite.isEmpty()) {
                pending.restore(ledger, toWrite);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not write the last use of API keys of organization %s (%s); will try again",
                    ledger.organizationId(), e.toString());
            LOG.debug("Cause", e);
            pending.restore(ledger, toWrite);
        }
    }
}
