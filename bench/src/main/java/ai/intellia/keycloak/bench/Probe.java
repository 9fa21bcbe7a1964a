package ai.intellia.keycloak.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the benchmark observes of the Keycloak process besides HTTP answers: its CPU time
 * (/proc), its heap after a full GC and JFR recordings (jcmd), its metrics (management port),
 * and the SQL statements Hibernate logs.
 */
final class Probe {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
    private static final Pattern SQL_VERB = Pattern.compile("(?i)\\b(select|insert|update|delete|merge)\\b");
    private static final Pattern SQL_THREAD = Pattern.compile("^\\s*\\(([^)]+)\\)");
    static final String BACKGROUND = "background ";
    private static final Pattern SQL_TABLE = Pattern.compile("(?i)\\b(?:from|into|update)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    private final long pid;
    private final String managementUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Probe(long pid, String managementUrl) {
        this.pid = pid;
        this.managementUrl = managementUrl;
    }

    /** The Keycloak JVM among this process's descendants (kc.sh runs it as a child). */
    static Probe find(String managementUrl) {
        ProcessHandle java = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("kc.home.dir")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Keycloak JVM among this process's descendants"));
        return new Probe(java.pid(), managementUrl);
    }

    long pid() {
        return pid;
    }

    /** utime + stime of the Keycloak JVM, in clock ticks (10 ms). */
    long cpuTicks() {
        return cpuTicks(pid);
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Heap in use after two full GCs, in bytes (jcmd GC.run, GC.heap_info). */
    long heapUsedAfterGc() {
        jcmd("GC.run");
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("unexpected GC.heap_info output");
        }
        return Long.parseLong(m.group(2)) * 1024;
    }

    /** Live objects per class after a full GC (jcmd GC.class_histogram): class → {instances, bytes}. */
    Map<String, long[]> classHistogram() {
        Map<String, long[]> h = new java.util.HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                h.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return h;
    }

    /** The classes whose live bytes grew most between two histograms: "class" → "+instances, +KiB". */
    static Map<String, String> histogramGrowth(Map<String, long[]> before, Map<String, long[]> after, int top) {
        Map<String, String> growth = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .forEach(e -> growth.put(e.getKey(), String.format("+%d instances, +%.0f KiB", e.getValue()[0], e.getValue()[1] / 1024.0)));
        return growth;
    }

    void jfrStart(String name, Path file) {
        jcmd("JFR.start", "name=" + name, "settings=profile", "filename=" + file.toAbsolutePath());
    }

    void jfrStop(String name) {
        jcmd("JFR.stop", "name=" + name);
    }

    String jcmd(String... command) {
        List<String> args = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The management port's Prometheus metrics, {@code name{labels}} → value, for the names that
     * start with one of {@code prefixes}; empty when metrics are off.
     */
    Map<String, Double> metrics(String... prefixes) {
        Map<String, Double> values = new TreeMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return values;
            }
            for (String line : r.body().split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                boolean wanted = false;
                for (String p : prefixes) {
                    wanted |= line.startsWith(p);
                }
                int space = line.lastIndexOf(' ');
                if (wanted && space > 0) {
                    try {
                        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                    } catch (NumberFormatException ignored) {
                        // not a sample
                    }
                }
            }
        } catch (IOException e) {
            return values;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    /** after − before for every key of {@code after}. */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        return d;
    }

    /** The SQL statements Hibernate logged (logger org.hibernate.SQL at debug) in a slice of the log. */
    record SqlCount(int statements, Map<String, Integer> byKind) {
        /** Statements of request threads, leaving out these kinds. */
        int excluding(Set<String> kinds) {
            return statements - byKind.entrySet().stream()
                    .filter(e -> kinds.contains(e.getKey()) || e.getKey().startsWith(BACKGROUND))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        @Override
        public String toString() {
            return statements + (byKind.isEmpty() ? "" : " " + byKind);
        }
    }

    /** Counts statements between two byte offsets of the server log; each is classified as "VERB table". */
    static SqlCount sqlStatements(Path log, long from, long to) {
        String text;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> kinds = new TreeMap<>();
        int count = 0;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf("[org.hibernate.SQL]");
            if (at < 0) {
                continue;
            }
            count++;
            // The statement follows on the same line or, when Hibernate formats it, on the next lines.
            StringBuilder statement = new StringBuilder(lines[i].substring(at));
            for (int j = i + 1; j < lines.length && j <= i + 8 && !lines[j].matches("^\\d{4}-\\d\\d-\\d\\d.*"); j++) {
                statement.append(' ').append(lines[j].trim());
            }
            String s = statement.toString().substring("[org.hibernate.SQL]".length());
            Matcher verb = SQL_VERB.matcher(s);
            Matcher table = SQL_TABLE.matcher(s);
            Matcher thread = SQL_THREAD.matcher(s);
            // Requests run on Quarkus' executor threads; anything else (the last-use flusher, Keycloak's
            // own timers) is background work, counted apart from the request path.
            String where = thread.find() && !thread.group(1).startsWith("executor-thread") ? BACKGROUND + thread.group(1) + ": " : "";
            String kind = where + (verb.find() ? verb.group(1).toUpperCase() : "?") + " " + (table.find() ? table.group(1).toUpperCase() : "?");
            kinds.merge(kind, 1, Integer::sum);
        }
        return new SqlCount(count, kinds);
    }

    /**
     * Other processes whose command line mentions keycloak or kc.sh (like {@code pgrep -f 'keycloak|kc.sh'}),
     * leaving out this process, its ancestors and its descendants (our own server).
     */
    static List<String> otherKeycloakProcesses() {
        Set<Long> mine = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        mine.add(ProcessHandle.current().pid());
        for (ProcessHandle p = ProcessHandle.current(); p.parent().isPresent(); ) {
            p = p.parent().get();
            mine.add(p.pid());
        }
        List<String> others = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> !mine.contains(p.pid())).forEach(p -> {
            String cmd = cmdline(p.pid());
            if (cmd.contains("kc.sh") || cmd.contains("keycloak")) {
                others.add(p.pid() + " " + (cmd.length() > 120 ? cmd.substring(0, 120) + "…" : cmd));
            }
        });
        return others;
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
