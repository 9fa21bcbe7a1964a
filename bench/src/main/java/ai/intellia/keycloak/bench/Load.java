package ai.intellia.keycloak.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Closed-loop keep-alive load: a fixed number of connections, each on its own thread, sends the
 * next request as soon as the previous answer is in. Every answer is checked (status and a marker
 * in the body); anything else, and any I/O failure, is an error. Bounded in time: a run lasts
 * warm-up + measurement and stops by itself.
 */
final class Load {

    private Load() {
    }

    /** The next request of worker {@code worker}; {@code seq} counts that worker's requests. */
    @FunctionalInterface
    interface RequestSource {
        byte[] next(int worker, long seq);
    }

    /**
     * @param name   short id (R0, AKI, …)
     * @param what   one line for the report
     * @param status the expected status
     * @param marker a string every good answer's body contains
     */
    record Scenario(String name, String what, RequestSource source, int status, String marker, Runnable before) {

        Scenario(String name, String what, RequestSource source, int status, String marker) {
            this(name, what, source, status, marker, null);
        }
    }

    /** One measured run of a scenario. */
    record Run(String scenario, long ok, long errors, long warmupErrors, double seconds, long[] latenciesNanos,
               long serverCpuTicks, String firstError) {

        double rps() {
            return ok / seconds;
        }

        /** Server CPU milliseconds per good request (clock ticks of 10 ms). */
        double serverCpuMsPerRequest() {
            return ok == 0 ? Double.NaN : serverCpuTicks * 10.0 / ok;
        }
    }

    /**
     * Runs {@code scenario} with {@code connections} connections: {@code warmupMillis} unmeasured,
     * then {@code measureMillis} measured. {@code serverCpu} reads the server's CPU clock ticks.
     */
    static Run run(Scenario scenario, String host, int port, int connections, long warmupMillis, long measureMillis,
                   LongSupplier serverCpu) {
        if (scenario.before() != null) {
            scenario.before().run();
        }
        Worker[] workers = new Worker[connections];
        CountDownLatch ready = new CountDownLatch(connections);
        long start = System.nanoTime() + 50_000_000L; // everybody connected by then
        long measureFrom = start + warmupMillis * 1_000_000L;
        long measureTo = measureFrom + measureMillis * 1_000_000L;
        for (int i = 0; i < connections; i++) {
            workers[i] = new Worker(i, scenario, host, port, start, measureFrom, measureTo, ready);
            workers[i].start();
        }
        sleepUntil(measureFrom);
        long cpuFrom = serverCpu.getAsLong();
        sleepUntil(measureTo);
        long cpuTo = serverCpu.getAsLong();
        long ok = 0;
        long errors = 0;
        long warmupErrors = 0;
        List<long[]> latencies = new ArrayList<>();
        int total = 0;
        String firstError = null;
        for (Worker w : workers) {
            try {
                w.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (w.isAlive()) {
                throw new IllegalStateException("worker of " + scenario.name() + " did not stop: " + w.getName());
            }
            ok += w.ok;
            errors += w.errors;
            warmupErrors += w.warmupErrors;
            latencies.add(w.latencies);
            total += w.count;
            if (firstError == null) {
                firstError = w.firstError.get();
            }
        }
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < workers.length; i++) {
            System.arraycopy(latencies.get(i), 0, all, at, workers[i].count);
            at += workers[i].count;
        }
        Arrays.sort(all);
        return new Run(scenario.name(), ok, errors, warmupErrors, measureMillis / 1000.0, all, cpuTo - cpuFrom, firstError);
    }

    static double percentileMillis(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }

    static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Worker extends Thread {
        private final int index;
        private final Scenario scenario;
        private final RawHttp http;
        private final long start;
        private final long measureFrom;
        private final long measureTo;
        private final CountDownLatch ready;
        final AtomicReference<String> firstError = new AtomicReference<>();
        long ok;
        long errors;
        long warmupErrors;
        long[] latencies = new long[1 << 14];
        int count;

        Worker(int index, Scenario scenario, String host, int port, long start, long measureFrom, long measureTo,
               CountDownLatch ready) {
            super("load-" + scenario.name() + "-" + index);
            setDaemon(true);
            this.index = index;
            this.scenario = scenario;
            this.http = new RawHttp(host, port);
            this.start = start;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.ready = ready;
        }

        @Override
        public void run() {
            ready.countDown();
            sleepUntil(start);
            long seq = 0;
            try {
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= measureTo) {
                        return;
                    }
                    byte[] request = scenario.source().next(index, seq++);
                    boolean good;
                    String problem = null;
                    try {
                        RawHttp.Response r = http.exchange(request);
                        good = r.status() == scenario.status() && r.body().contains(scenario.marker());
                        if (!good) {
                            problem = r.status() + " " + abbreviate(r.body());
                        }
                    } catch (IOException | RuntimeException e) {
                        good = false;
                        problem = e.toString();
                        http.close();
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= measureTo) {
                        if (good) {
                            ok++;
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = t1 - t0;
                        } else {
                            errors++;
                        }
                    } else if (!good) {
                        warmupErrors++;
                    }
                    if (!good) {
                        firstError.compareAndSet(null, problem);
                    }
                }
            } finally {
                http.close();
            }
        }

        private static String abbreviate(String body) {
            return body.length() <= 300 ? body : body.substring(0, 300) + "…";
        }
    }
}
