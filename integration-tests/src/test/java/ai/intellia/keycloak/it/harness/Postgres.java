package ai.intellia.keycloak.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL from the installed binaries ({@code initdb} on the PATH, in Debian's
 * /usr/lib/postgresql/VERSION/bin, or {@code -Dpostgres.bin=DIR}): a fresh cluster in {@code dir}, listening on 127.0.0.1 only (no
 * Unix socket), trust authentication, one database {@value #DATABASE} owned by {@value #USER}.
 * {@code postgres} runs as a child process (as the {@code postgres} user when we are root, which
 * PostgreSQL refuses to run as), killed by PID on close and in a shutdown hook.
 */
public final class Postgres implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path bin;
    private final int port = DistributionKeycloak.freePort();
    private final Thread shutdownHook = new Thread(this::kill, "postgres-killer");
    private Process process;

    private Postgres(Path dir, Path bin) {
        this.dir = dir;
        this.bin = bin;
    }

    /** initdb, start, create the database. */
    public static Postgres start(Path dir) {
        Postgres db = new Postgres(dir, binaries());
        Runtime.getRuntime().addShutdownHook(db.shutdownHook);
        try {
            db.init();
            db.launch();
            db.run(List.of("createdb", "-h", "127.0.0.1", "-p", String.valueOf(db.port), "-U", USER, DATABASE));
            return db;
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The folder of {@code initdb}: -Dpostgres.bin, else the PATH, else Debian's folders (links resolved). */
    private static Path binaries() {
        String configured = KeycloakServer.Settings.get("postgres.bin", "");
        Stream<Path> candidates = configured.isEmpty()
                ? Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(s -> !s.isEmpty()).map(Path::of),
                        debianBinaries())
                : Stream.of(Path.of(configured));
        return candidates.map(d -> d.resolve("initdb")).filter(Files::isExecutable).findFirst()
                .map(initdb -> {
                    try {
                        return initdb.toRealPath().getParent();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .orElseThrow(() -> new IllegalStateException("No PostgreSQL initdb on the PATH nor in /usr/lib/postgresql/*/bin (apt-get install postgresql, or -Dpostgres.bin=DIR)"));
    }

    /** Debian's postgresql package keeps them off the PATH: /usr/lib/postgresql/VERSION/bin, newest first. */
    private static Stream<Path> debianBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.sorted(java.util.Comparator.reverseOrder()).map(v -> v.resolve("bin")).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private void init() {
        try {
            DistributionKeycloak.deleteRecursively(dir);
            Files.createDirectories(dir);
            if (asRoot()) {
                // postgres must own its data folder; everything above it is world-readable.
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName("postgres"));
                GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
    }

    private void launch() {
        // fsync off: a test database; the faults tested are Keycloak's, not the disk's.
        process = spawn(List.of("postgres", "-D", dir.resolve("data").toString(), "-p", String.valueOf(port),
                "-h", "127.0.0.1", "-k", "", "-c", "fsync=off", "-c", "max_connections=200"), true);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with " + process.exitValue() + ":\n" + logTail());
            }
            Process ready = spawn(List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER, "-d", "postgres"), false);
            try {
                if (ready.waitFor(10, TimeUnit.SECONDS) && ready.exitValue() == 0) {
                    return;
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                ready.destroyForcibly();
            }
        }
        throw new IllegalStateException("PostgreSQL not ready after " + READY_TIMEOUT + ":\n" + logTail());
    }

    private void run(List<String> command) {
        Process p = spawn(command, false);
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                DistributionKeycloak.destroyTree(p, true);
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DistributionKeycloak.destroyTree(p, true);
            throw new IllegalStateException(e);
        }
    }

    private Process spawn(List<String> command, boolean server) {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            // setpriv executes the command in place: the child's PID is PostgreSQL's own.
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        full.add(bin.resolve(command.get(0)).toString());
        full.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path log() {
        return dir.resolveSibling(dir.getFileName() + ".log");
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Fast shutdown (SIGINT), then SIGKILL to whatever is left of the process tree. */
    @Override
    public synchronized void close() {
        Process p = process;
        if (p != null) {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            spawnSignal(p.pid());
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception notStopped) {
                // forced below
            }
            tree.add(p.toHandle());
            tree.forEach(ProcessHandle::destroyForcibly);
            process = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private static void spawnSignal(long pid) {
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(pid)).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // SIGKILL follows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            DistributionKeycloak.destroyTree(p, true);
        }
    }
}
