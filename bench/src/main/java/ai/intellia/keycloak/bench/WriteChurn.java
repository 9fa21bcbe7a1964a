package ai.intellia.keycloak.bench;

import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes to one organization's keys at a steady pace while a scenario runs (issue 12: does a
 * write make the next verifications of that organization's keys slow?): alternately creates a
 * key and revokes the one it created, through the organization API as its Owner, one write every
 * {@code 1/writesPerSecond} seconds on one thread. Each write's latency is kept.
 */
final class WriteChurn implements AutoCloseable {

    private final Fixture fixture;
    private final String orgId;
    private final Supplier<String> ownerToken;
    private final long periodNanos;
    private final Thread thread;
    private final List<Long> latencies = new ArrayList<>();
    private volatile boolean stop;
    private volatile String firstError;
    private int writes;

    WriteChurn(Fixture fixture, String orgId, Supplier<String> ownerToken, double writesPerSecond) {
        this.fixture = fixture;
        this.orgId = orgId;
        this.ownerToken = ownerToken;
        this.periodNanos = (long) (1e9 / writesPerSecond);
        this.thread = new Thread(this::loop, "write-churn");
        this.thread.setDaemon(true);
    }

    WriteChurn start() {
        thread.start();
        return this;
    }

    private void loop() {
        long next = System.nanoTime();
        String created = null;
        while (!stop) {
            Load.sleepUntil(next);
            next += periodNanos;
            long t0 = System.nanoTime();
            try {
                String token = ownerToken.get();
                if (created == null) {
                    created = fixture.createKeyId(orgId, token, Map.of("description", "bench churn",
                            "permissions", Map.of("agents", Map.of("read", true))));
                } else {
                    Reply r = Http.delete(fixture.keyUrl(orgId, created), token);
                    if (r.status() != 204) {
                        throw new IllegalStateException("revoke: expected 204 but got " + r);
                    }
                    created = null;
                }
                synchronized (latencies) {
                    latencies.add(System.nanoTime() - t0);
                    writes++;
                }
            } catch (RuntimeException e) {
                if (firstError == null) {
                    firstError = e.toString();
                }
            }
        }
    }

    /** Stops after the write in progress. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int writes() {
        synchronized (latencies) {
            return writes;
        }
    }

    String firstError() {
        return firstError;
    }

    /** The writes' latencies, sorted, for {@link Load#percentileMillis}. */
    long[] sortedLatencies() {
        synchronized (latencies) {
            long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(all);
            return all;
        }
    }
}
