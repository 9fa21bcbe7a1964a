package ai.intellia.keycloak.apikey.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-node memory of when each key's last use was written, so a busy key costs one write a
 * minute, not one per request. Losing it (restart) only means one early write.
 */
final class UsageThrottle {

    static final long INTERVAL_SECONDS = 60;
    private static final int MAX_ENTRIES = 200_000;

    private final ConcurrentMap<String, Long> lastWritten = new ConcurrentHashMap<>();

    /** True when the caller should write now; claims the slot so concurrent requests don't. */
    boolean shouldWrite(String keyId, long nowSeconds) {
        if (lastWritten.size() > MAX_ENTRIES) {
            lastWritten.clear(); // bounded memory beats a perfect throttle
        }
        Long previous = lastWritten.get(keyId);
        if (previous != null && nowSeconds - previous < INTERVAL_SECONDS) {
            return false;
        }
        return previous == null ? lastWritten.putIfAbsent(keyId, nowSeconds) == null
                : lastWritten.replace(keyId, previous, nowSeconds);
    }
}
