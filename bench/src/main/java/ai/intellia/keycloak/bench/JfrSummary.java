package ai.intellia.keycloak.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the CPU samples of a JFR recording (jdk.ExecutionSample) go: the hottest methods by
 * self time, and by inclusive time the methods of chosen packages (ours by default).
 *
 * <pre>java -cp bench/target/classes ai.intellia.keycloak.bench.JfrSummary FILE.jfr [top] [package-prefix…]</pre>
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JfrSummary FILE.jfr [top] [package-prefix…] | FILE.jfr --tree Class.method [depth] [min%]");
            System.exit(2);
        }
        if (args.length > 2 && args[1].equals("--tree")) {
            System.out.print(tree(Path.of(args[0]), args[2], args.length > 3 ? Integer.parseInt(args[3]) : 6,
                    args.length > 4 ? Double.parseDouble(args[4]) : 2.0));
            return;
        }
        if (args.length > 1 && args[1].equals("--waits")) {
            System.out.print(waits(Path.of(args[0]), args.length > 2 ? Integer.parseInt(args[2]) : 20));
            return;
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        List<String> prefixes = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("ai.intellia.");
        System.out.print(summarize(Path.of(args[0]), top, prefixes));
    }

    static String summarize(Path file, int top, List<String> prefixes) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> watched = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                    for (String p : prefixes) {
                        if (n.startsWith(p)) {
                            watched.merge(n, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(file.getFileName()).append(": ").append(samples).append(" CPU samples\n");
        s.append("  top self:\n");
        append(s, self, samples, top);
        s.append("  top inclusive in ").append(prefixes).append(":\n");
        append(s, watched, samples, top);
        return s.toString();
    }

    /** Inclusive share of every method whose name contains {@code needle}, for quick questions. */
    static Map<String, Integer> inclusive(Path file) throws IOException {
        Map<String, Integer> inclusive = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    if (seen.add(name(f))) {
                        inclusive.merge(name(f), 1, Integer::sum);
                    }
                }
            }
        }
        return inclusive;
    }

    /** The call tree below {@code method} (its callees, depth levels), as shares of all CPU samples. */
    static String tree(Path file, String method, int depth, double minPercent) throws IOException {
        Node root = new Node();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            for (int i = frames.size() - 1; i >= 0; i--) { // outermost first
                if (name(frames.get(i)).equals(method)) {
                    Node n = root;
                    n.count++;
                    for (int j = i - 1; j >= 0 && j >= i - depth; j--) {
                        n = n.children.computeIfAbsent(name(frames.get(j)), k -> new Node());
                        n.count++;
                    }
                    break;
                }
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format("%s: %d CPU samples, %.1f%% in %s%n", file.getFileName(), samples, 100.0 * root.count / Math.max(1, samples), method));
        print(s, root, samples, minPercent, "  ");
        return s.toString();
    }

    /**
     * Where threads wait (parks, monitors, file forces, socket reads above JFR's threshold), by total
     * duration: the event type, the innermost frame of ours or Keycloak's, and the frame that blocks.
     */
    static String waits(Path file, int top) throws IOException {
        Set<String> types = Set.of("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.FileForce",
                "jdk.FileWrite", "jdk.FileRead", "jdk.SocketRead", "jdk.SocketWrite");
        Map<String, Long> nanos = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (!types.contains(type) || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            String ours = null;
            String keycloak = null;
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (ours == null && n.startsWith("ai.intellia.")) {
                    ours = n;
                }
                if (keycloak == null && n.startsWith("org.keycloak.")) {
                    keycloak = n;
                }
            }
            String blocking = frames.isEmpty() ? "?" : name(frames.get(Math.min(frames.size() - 1, 1)));
            String key = type.substring(4) + " | " + (ours != null ? ours : "-") + " | " + (keycloak != null ? keycloak : "-") + " | " + blocking;
            nanos.merge(key, e.getDuration().toNanos(), Long::sum);
            counts.merge(key, 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder(file.getFileName() + ": waits by total time (type | our frame | Keycloak frame | blocking frame)\n");
        nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> s.append(String.format("  %8.0f ms %5d×  %s%n", e.getValue() / 1e6, counts.get(e.getKey()), e.getKey())));
        return s.toString();
    }

    private static final class Node {
        int count;
        final Map<String, Node> children = new HashMap<>();
    }

    private static void print(StringBuilder s, Node node, int samples, double minPercent, String indent) {
        node.children.entrySet().stream()
                .sorted((a, b) -> b.getValue().count - a.getValue().count)
                .filter(e -> 100.0 * e.getValue().count / samples >= minPercent)
                .forEach(e -> {
                    s.append(String.format("%s%5.1f%%  %s%n", indent, 100.0 * e.getValue().count / samples, e.getKey()));
                    print(s, e.getValue(), samples, minPercent, indent + "  ");
                });
    }

    private static void append(StringBuilder s, Map<String, Integer> counts, int samples, int top) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> s.append(String.format("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
