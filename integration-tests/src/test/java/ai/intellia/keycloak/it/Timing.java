package ai.intellia.keycloak.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** How long a condition takes to become true, polled every few milliseconds (propagation times). */
final class Timing {

    private Timing() {
    }

    /** Milliseconds until {@code condition} held, or -1 when it did not within {@code timeout}. */
    static long millisUntil(Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return condition.getAsBoolean() ? timeout.toMillis() : -1;
    }

    /** "median X ms, max Y ms over N" of non-negative samples. */
    static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return "median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms over " + sorted.size();
    }
}
