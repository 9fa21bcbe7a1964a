package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.UsageDays;
import ai.intellia.keycloak.apikey.store.PendingUses.Ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Usage counts seen on this node and not yet written, per organization and (key, UTC day).
 * Counting is one map read and one atomic add per request (an entry is created once per key
 * per day). {@link #drain} takes the counts out with {@code getAndSet(0)}, so a request counted
 * during a drain goes into the next flush, never lost and never counted twice.
 */
final class PendingCounts {

    record Slot(String keyId, long epochDay) {
    }

    static final class Tally {
        final AtomicLong used = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
    }

    private final int capacity;
    private final AtomicInteger size = new AtomicInteger();
    private final ConcurrentMap<Ledger, ConcurrentMap<Slot, Tally>> pending = new ConcurrentHashMap<>();

    /** @param capacity (key, day) entries held at most; past it, counts of further keys are dropped until a flush. */
    PendingCounts(int capacity) {
        this.capacity = capacity;
    }

    /** Adds to a key's counts of a day (negative to move a use to the refusals); false when dropped. */
    boolean add(String realmId, String organizationId, String keyId, long epochDay, long used, long refused) {
        Tally tally = tally(new Ledger(realmId, organizationId), new Slot(keyId, epochDay));
        if (tally == null) {
            return false;
        }
        if (used != 0) {
            tally.used.addAndGet(used);
        }
        if (refused != 0) {
            tally.refused.addAndGet(refused);
        }
        return true;
    }

    private Tally tally(Ledger ledger, Slot slot) {
        ConcurrentMap<Slot, Tally> tallies = pending.get(ledger);
        if (tallies == null) {
            tallies = pending.computeIfAbsent(ledger, l -> new ConcurrentHashMap<>());
        }
        Tally tally = tallies.get(slot);
        if (tally != null) {
            return tally; // the common case: a busy key, already counted today
        }
        if (size.get() >= capacity) {
            return null;
        }
        boolean[] added = {false};
        tally = tallies.computeIfAbsent(slot, s -> {
            added[0] = true;
            return new Tally();
        });
        if (added[0]) {
            size.incrementAndGet();
        }
        return tally;
    }

    /** This node's unwritten counts of these keys. */
    Map<String, UsageDays> of(String realmId, String organizationId) {
        ConcurrentMap<Slot, Tally> tallies = pending.get(new Ledger(realmId, organizationId));
        if (tallies == null) {
            return Map.of();
        }
        Map<String, UsageDays> out = new HashMap<>();
        tallies.forEach((slot, tally) -> out.merge(slot.keyId(),
                UsageDays.of(slot.epochDay(), tally.used.get(), tally.refused.get()), UsageDays::plus));
        return out;
    }

    /**
     * Takes every pending count out, grouped by organization. Entries of past days are removed
     * (no request counts there any more but one racing midnight, which the second read catches);
     * today's stay, at zero, for the next requests.
     */
    Map<Ledger, Map<String, UsageDays>> drain(long today) {
        Map<Ledger, Map<String, UsageDays>> batch = new HashMap<>();
        pending.forEach((ledger, tallies) -> tallies.forEach((slot, tally) -> {
            long used = tally.used.getAndSet(0);
            long refused = tally.refused.getAndSet(0);
            if (slot.epochDay() < today && tallies.remove(slot, tally)) {
                size.decrementAndGet();
                used += tally.used.getAndSet(0);
                refused += tally.refused.getAndSet(0);
            }
            if (used != 0 || refused != 0) {
                batch.computeIfAbsent(ledger, l -> new HashMap<>())
                        .merge(slot.keyId(), UsageDays.of(slot.epochDay(), used, refused), UsageDays::plus);
            }
        }));
        return batch;
    }

    /** Puts counts back after a failed write, so the next flush writes them. */
    void restore(Ledger ledger, Map<String, UsageDays> counts) {
        counts.forEach((keyId, days) -> days.forEachDay((day, used, refused) ->
                add(ledger.realmId(), ledger.organizationId(), keyId, day, used, refused)));
    }

    int size() {
        return size.get();
    }
}
