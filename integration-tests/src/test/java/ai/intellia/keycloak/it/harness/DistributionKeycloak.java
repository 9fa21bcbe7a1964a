package ai.intellia.keycloak.it.harness;

import ai.intellia.keycloak.it.harness.KeycloakServer.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The Keycloak distribution (zip unpacked by Maven into target/), copied to a fresh folder,
 * with our providers and realm-export/ installed, built once ({@code kc.sh build}) and started
 * as a child process. Nothing survives the JVM: the process tree is killed on close and in a
 * shutdown hook.
 */
public final class DistributionKeycloak implements KeycloakServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Layout layout;
    private final Path home;
    private final Path log;
    private int httpPort = freePort();
    private int managementPort = freePort();
    /** Once someone has read the URLs (or the server has run), the ports may no longer change. */
    private boolean portsFixed;
    private final String adminUsername = "admin";
    private final String adminPassword = "admin";
    private final Thread shutdownHook = new Thread(this::kill, "keycloak-killer");
    private Process process;

    private DistributionKeycloak(Layout layout, Path home, Path log) {
        this.layout = layout;
        this.home = home;
        this.log = log;
    }

    /**
     * Where a server lives under target/ and what it is built and started with beyond the common
     * options; {@link #single()} is the default suite's server (dev-file database).
     */
    record Layout(String homeName, String logName, List<String> buildOptions, List<String> startOptions,
                  Map<String, String> environment, boolean importRealm) {

        static Layout single() {
            return new Layout("keycloak-server", "keycloak.log", List.of("--db=dev-file"), storeOptions(), Map.of(), true);
        }
    }

    /**
     * The tests' store setting: {@code -Dkeycloak.keys-per-holder=N} (the integration tests' POM
     * sets 3, so that organizations of every test spread their keys over several holder users);
     * none for the benchmark, which measures the shipped default.
     */
    static List<String> storeOptions() {
        String keysPerHolder = Settings.get("keycloak.keys-per-holder", "");
        return keysPerHolder.isBlank() ? List.of() : List.of("--spi-intellia-api-keys--default--keys-per-holder=" + keysPerHolder.trim());
    }

    /** Installs, builds and starts a fresh server under target/keycloak-server. */
    public static DistributionKeycloak start() {
        return start(Layout.single());
    }

    /**
     * Like {@link #start()}, on {@code db} instead of the dev-file database (the benchmark's
     * PostgreSQL phase), under target/keycloak-server-postgres.
     */
    public static DistributionKeycloak startOnPostgres(Postgres db) {
        Layout layout = new Layout("keycloak-server-postgres", "keycloak-postgres.log", List.of("--db=postgres"),
                List.of("--db-url=" + db.jdbcUrl(), "--db-username=" + Postgres.USER, "--db-password=unused-trust-auth"),
                Map.of(), true);
        return start(layout);
    }

    private static DistributionKeycloak start(Layout layout) {
        DistributionKeycloak server = install(layout, distribution());
        try {
            server.build();
            server.launch();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** The unpacked distribution (Maven's copy in target/). */
    static Path distribution() {
        Path dist = Settings.path("keycloak.dist.dir", Settings.workDir().resolve("keycloak-" + Settings.keycloakVersion()).toString());
        if (!Files.isRegularFile(dist.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution in " + dist + " (run through `mvn verify`)");
        }
        return dist;
    }

    /**
     * A fresh copy of {@code from} (the distribution, or another server's built home: its data/
     * is left behind) with our providers and, if the layout says so, the realm files; not started.
     * Killed in a shutdown hook from here on.
     */
    static DistributionKeycloak install(Layout layout, Path from) {
        Path work = Settings.workDir();
        Path home = work.resolve(layout.homeName());
        Path log = work.resolve(layout.logName());
        try {
            deleteRecursively(home);
            Files.deleteIfExists(log);
            copyRecursively(from, home);
            deleteRecursively(home.resolve("data"));
            if (copyFiles(Settings.providersDir(), "*.jar", home.resolve("providers")) == 0) {
                throw new IllegalStateException("No provider JARs in " + Settings.providersDir() + " (run `mvn package` first)");
            }
            if (layout.importRealm()) {
                for (Path realm : RealmImport.files(Settings.repoRoot())) {
                    copyFiles(realm.getParent(), realm.getFileName().toString(), home.resolve("data/import"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DistributionKeycloak server = new DistributionKeycloak(layout, home, log);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        return server;
    }

    Path home() {
        return home;
    }

    @Override
    public synchronized String baseUrl() {
        portsFixed = true;
        return "http://127.0.0.1:" + httpPort;
    }

    public synchronized String managementUrl() {
        portsFixed = true;
        return "http://127.0.0.1:" + managementPort;
    }

    @Override
    public Path log() {
        return log;
    }

    @Override
    public String adminUsername() {
        return adminUsername;
    }

    @Override
    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    /** {@code kc.sh build}: once per home (a copy of a built home needs none). */
    void build() {
        List<String> command = new ArrayList<>(List.of("bash", "bin/kc.sh", "build", "--health-enabled=true"));
        command.addAll(layout.buildOptions());
        String extra = Settings.get("keycloak.build.options", "");
        if (!extra.isBlank()) {
            command.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        Process build = spawn(command);
        try {
            if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
                destroyTree(build, true);
                throw new IllegalStateException("`kc.sh build` failed:\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(build, true);
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the built server (again, after {@link #crash()}) and waits until it is ready. A port
     * chosen free ({@link #freePort}) can still be taken by another listener before Keycloak binds
     * it: the first start then tries again on other ports.
     */
    public synchronized void launch() {
        for (int attempt = 1; ; attempt++) {
            long logFrom = size(log);
            try {
                launchOnce();
                portsFixed = true;
                return;
            } catch (IllegalStateException e) {
                String log = logSince(logFrom);
                if (portsFixed || attempt == 3 || !(log.contains("Port already bound") || log.contains("Address already in use"))) {
                    throw e;
                }
                httpPort = freePort();
                managementPort = freePort();
            }
        }
    }

    private void launchOnce() {
        List<String> command = new ArrayList<>(List.of("bash", "bin/kc.sh", "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1",
                "--http-port=" + httpPort, "--http-management-port=" + managementPort,
                "--hostname-strict=false"));
        if (layout.importRealm()) {
            command.add("--import-realm");
        }
        command.addAll(layout.startOptions());
        // Runtime options for `kc.sh start` (e.g. --log-level=...), read at every (re)start.
        String extra = Settings.get("keycloak.start.options", "");
        if (!extra.isBlank()) {
            command.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        process = spawn(command);
        awaitReady();
    }

    private void awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (Http.send(ready).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // keep polling
            }
            try {
                process.onExit().get(250, TimeUnit.MILLISECONDS); // the poll interval, cut short by an exit
            } catch (TimeoutException stillRunning) {
                // poll again
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("Keycloak not ready after " + READY_TIMEOUT + ":\n" + logTail());
    }

    private Process spawn(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        builder.environment().putAll(layout.environment());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Graceful: SIGTERM to kc.sh (it forwards to Java and waits), then force what is left. */
    synchronized void stop() {
        if (process != null) {
            destroyTree(process, false);
            process = null;
        }
    }

    /** {@code kill -9} of the server's process tree (data kept): {@link #launch()} starts it again. */
    public synchronized void crash() {
        kill();
        process = null;
    }

    /** For the shutdown hook and {@link #crash()}: SIGKILL, no waiting for a graceful stop. */
    private void kill() {
        Process p = process;
        if (p != null) {
            destroyTree(p, true);
        }
    }

    static void destroyTree(Process p, boolean force) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        if (!force) {
            p.destroy();
            try {
                p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception notStopped) {
                // forced below
            }
        }
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(h -> h.onExit().join());
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * A port nobody listens on, chosen below the kernel's range of ephemeral ports: a port the
     * kernel hands out for {@code bind(0)} may, before the server binds it seconds later, become
     * the local port of some outgoing connection (Keycloak's own database connections open before
     * its HTTP listener); a port outside that range never does.
     */
    static int freePort() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(Math.max(1, below - 10_000));
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first ephemeral port (Linux: /proc/sys/net/ipv4/ip_local_port_range; else IANA's 49152). */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > 11_000 ? start : 49_152;
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }

    private static int copyFiles(Path from, String glob, Path to) throws IOException {
        Files.createDirectories(to);
        int copied = 0;
        if (Files.isDirectory(from)) {
            try (var files = Files.newDirectoryStream(from, glob)) {
                for (Path file : files) {
                    // the file's own time: a copy of a built home must not look newer than its build
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    copied++;
                }
            }
        }
        return copied;
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
