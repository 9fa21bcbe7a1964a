package ai.intellia.keycloak.apikey.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Key uses seen on this node and not yet written, per organization: key id → last use (epoch
 * seconds). Noting a use is a map read (a write at most once a second per key); {@link
 * UsageFlusher} writes them in batches. Lock-free: {@link #drain()} takes an entry only if it
 * did not change meanwhile, so a use noted during a drain waits for the next one.
 */
final class PendingUses {

    record Ledger(String realmId, String organizationId) {
    }

    private final int capacity;
    private final AtomicInteger size = new AtomicInteger();
    private final ConcurrentMap<Ledger, ConcurrentMap<String, Long>> pending = new ConcurrentHashMap<>();

    /** @param capacity keys held at most; past it, uses of further keys are dropped until a flush. */
    PendingUses(int capacity) {
        this.capacity = capacity;
    }

    /** False when the use was dropped because too many keys are pending. */
    boolean note(String realmId, String organizationId, String keyId, long epochSecond) {
        Ledger ledger = new Ledger(realmId, organizationId);
        ConcurrentMap<String, Long> uses = pending.get(ledger);
        if (uses == null) {
            uses = pending.computeIfAbsent(ledger, l -> new ConcurrentHashMap<>());
        }
        Long previous = uses.get(keyId);
        if (previous != null && previous >= epochSecond) {
            return true; // the common case: a busy key, already noted this second
        }
        if (previous == null && size.get() >= capacity) {
            return false;
        }
        boolean[] added = {false};
        uses.compute(keyId, (id, old) -> {
            added[0] = old == null;
            return old == null ? epochSecond : Math.max(old, epochSecond);
        });
        if (added[0]) {
            size.incrementAndGet();
        }
        return true;
    }

    /** This node's unwritten uses of these keys. */
    Map<String, Long> of(String realmId, String organizationId) {
        ConcurrentMap<String, Long> uses = pending.get(new Ledger(realmId, organizationId));
        return uses == null ? Map.of() : Map.copyOf(uses);
    }

    /** Takes every pending use out, grouped by organization. */
    Map<Ledger, Map<String, Long>> drain() {
        Map<Ledger, Map<String, Long>> batch = new HashMap<>();
        pending.forEach((ledger, uses) -> uses.forEach((keyId, seconds) -> {
            if (uses.remove(keyId, seconds)) {
                size.decrementAndGet();
                batch.computeIfAbsent(ledger, l -> new HashMap<>()).put(keyId, seconds);
            }
        }));
        return batch;
    }

    /** Puts uses back after a failed write, so the next flush tries again. */
    void restore(Ledger ledger, Map<String, Long> uses) {
        uses.forEach((keyId, seconds) -> note(ledger.realmId(), ledger.organizationId(), keyId, seconds));
    }

    int size() {
        return size.get();
    }
}
