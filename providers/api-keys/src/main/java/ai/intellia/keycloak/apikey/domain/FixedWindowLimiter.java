package ai.intellia.keycloak.apikey.domain;

import java.util.function.LongSupplier;

/**
 * Per-node rate limiting by fixed windows aligned to the clock (a {@code 10/min} window runs from
 * one whole minute to the next): one small counter per (key, operation), O(1) per request, no
 * I/O. A burst of up to 2·N can straddle a window boundary; that is the price of O(1) state.
 * Bounded like {@link BoundedMemo}: when {@code capacity} counters exist, all are forgotten and
 * refill from live traffic (only verified keys with a limit ever get a counter).
 */
public final class FixedWindowLimiter {

    /** The outcome, with what the RateLimit-* headers need. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {
    }

    private static final class Window {
        long index = Long.MIN_VALUE;
        int used;
    }

    private final BoundedMemo<Object, Window> windows;
    private final LongSupplier clockMillis;

    public FixedWindowLimiter(int capacity, LongSupplier clockMillis) {
        this.windows = new BoundedMemo<>(capacity);
        this.clockMillis = clockMillis;
    }

    /**
     * Counts one request of {@code subject} (any value with equals and hashCode, say a record of
     * key and operation) against {@code limit}; a refused request is not counted.
     */
    public Decision acquire(Object subject, RateLimit limit) {
        long now = clockMillis.getAsLong();
        long periodMillis = limit.periodSeconds() * 1000;
        long index = Math.floorDiv(now, periodMillis);
        long resetSeconds = Math.max(1, (((index + 1) * periodMillis - now) + 999) / 1000);
        Window window = windows.getOrAdd(subject, s -> new Window());
        synchronized (window) {
            if (window.index != index) {
                window.index = index;
                window.used = 0;
            }
            if (window.used >= limit.count()) {
                return new Decision(false, limit.count(), 0, resetSeconds);
            }
            window.used++;
            return new Decision(true, limit.count(), limit.count() - window.used, resetSeconds);
        }
    }
}
