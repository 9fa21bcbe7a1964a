package ai.intellia.keycloak.it.harness;

import ai.intellia.keycloak.it.harness.DistributionKeycloak.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keycloak's own cluster on one host: a throw-away PostgreSQL and two nodes of the same
 * distribution (each its own home, the second a copy of the first's built one), embedded
 * Infinispan with {@code jdbc-ping} discovery through the shared database, everything on
 * loopback. Node A imports the realm; B starts once A is ready. Started only when both logs
 * show a two-member cluster view.
 */
public final class Cluster implements AutoCloseable {

    /** Infinispan's "Received new cluster view" (or MERGED view) line, with the member count. */
    private static final Pattern VIEW = Pattern.compile("ISPN00009[34]: Received new(, MERGED)? cluster view.*\\((\\d+)\\)");
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(90);
    /**
     * Failure detection (FD_SOCK2) listens on the bind port plus this offset, and connects to the
     * other node's bind port plus its own offset: the offset must be the same on every node
     * (JGroups' default, 50000, would put both nodes' ports past 65535 here).
     */
    private static final int FD_OFFSET = 100;

    private final Postgres db;
    private DistributionKeycloak nodeA;
    private DistributionKeycloak nodeB;
    private AdminClient adminA;
    private AdminClient adminB;

    private Cluster(Postgres db) {
        this.db = db;
    }

    public static Cluster start() {
        Cluster cluster = new Cluster(Postgres.start(KeycloakServer.Settings.workDir().resolve("postgres-cluster")));
        try {
            int portA = freePortWith(FD_OFFSET, Set.of());
            int portB = freePortWith(FD_OFFSET, Set.of(portA, portA + FD_OFFSET, portA - FD_OFFSET));
            cluster.nodeA = DistributionKeycloak.install(cluster.layout("a", portA, FD_OFFSET, true, List.of()), DistributionKeycloak.distribution());
            cluster.nodeA.build();
            // One public URL for the cluster, as behind a load balancer: tokens that one node issues
            // carry the issuer that the other expects. A derives it from the requests (its own URL).
            cluster.nodeB = DistributionKeycloak.install(cluster.layout("b", portB, FD_OFFSET, false,
                    List.of("--hostname=" + cluster.nodeA.baseUrl())), cluster.nodeA.home());
            cluster.nodeA.launch();
            long offsetA = cluster.logSize(cluster.nodeA);
            cluster.nodeB.launch();
            cluster.awaitView(cluster.nodeA, offsetA, 2);
            cluster.awaitView(cluster.nodeB, 0, 2);
            cluster.adminA = new AdminClient(cluster.nodeA);
            cluster.adminB = new AdminClient(cluster.nodeB);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private Layout layout(String name, int cachePort, int fdOffset, boolean importRealm, List<String> extra) {
        List<String> build = List.of("--db=postgres");
        List<String> start = new java.util.ArrayList<>(List.of(
                "--db-url=" + db.jdbcUrl(), "--db-username=" + Postgres.USER, "--db-password=unused-trust-auth",
                "--cache=ispn", "--cache-stack=jdbc-ping",
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + cachePort,
                "--spi-cache-embedded--default--node-name=node-" + name, // both run on one host: names that say which is which
                // last use is written once per interval per node: short, so that the merge is testable
                "--spi-intellia-api-keys--default--last-used-flush-interval=1",
                // as behind a load balancer: X-Forwarded-For sets the client address (GuardRailsClusterIT's IPv6 and
                // "another address" callers); only here, since the single server's HostileInputIT sends malformed Hosts
                "--proxy-headers=xforwarded"));
        start.addAll(DistributionKeycloak.storeOptions());
        start.addAll(extra);
        Map<String, String> env = Map.of(
                "JAVA_OPTS_APPEND", "-Djgroups.fd.port-offset=" + fdOffset,
                // two JVMs on a shared machine: a fixed, modest heap instead of a share of the RAM
                "JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx1g");
        return new Layout("keycloak-node-" + name, "keycloak-node-" + name + ".log", build, start, env, importRealm);
    }

    public DistributionKeycloak nodeA() {
        return nodeA;
    }

    public DistributionKeycloak nodeB() {
        return nodeB;
    }

    public AdminClient adminA() {
        return adminA;
    }

    public AdminClient adminB() {
        return adminB;
    }

    public List<DistributionKeycloak> nodes() {
        return List.of(nodeA, nodeB);
    }

    public AdminClient admin(DistributionKeycloak node) {
        return node == nodeA ? adminA : adminB;
    }

    /**
     * Starts a node that was stopped or {@link DistributionKeycloak#crash() crashed} and waits
     * until both logs show the two-member view again (the other node's view after this call).
     */
    public void relaunch(DistributionKeycloak node) {
        DistributionKeycloak other = node == nodeA ? nodeB : nodeA;
        long ownOffset = logSize(node);
        long otherOffset = logSize(other);
        node.launch();
        awaitView(node, ownOffset, 2);
        awaitView(other, otherOffset, 2);
    }

    /** Stops both nodes gracefully and starts them again, A first; waits for the two-member view. */
    public void restartBoth() {
        nodeB.stop();
        nodeA.stop();
        long offsetA = logSize(nodeA);
        long offsetB = logSize(nodeB);
        nodeA.launch();
        nodeB.launch();
        awaitView(nodeA, offsetA, 2);
        awaitView(nodeB, offsetB, 2);
    }

    /** Waits until the node's log, after {@code offset} bytes, shows a view of {@code members}. */
    public void awaitView(DistributionKeycloak node, long offset, int members) {
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (lastView(node, offset) == members) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(node.log() + " shows no " + members + "-member cluster view after " + VIEW_TIMEOUT
                + " (last: " + lastView(node, offset) + ")");
    }

    /** The member count of the last cluster view in the log after {@code offset}, or 0. */
    public int lastView(DistributionKeycloak node, long offset) {
        int members = 0;
        var matcher = VIEW.matcher(logAfter(node, offset));
        while (matcher.find()) {
            members = Integer.parseInt(matcher.group(2));
        }
        return members;
    }

    public long logSize(DistributionKeycloak node) {
        try {
            return Files.exists(node.log()) ? Files.size(node.log()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logAfter(DistributionKeycloak node, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(node.log());
            int from = (int) Math.min(offset, bytes.length);
            return new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path databaseLog() {
        return db.log();
    }

    /** Nodes first (B, then A), then the database; every process by PID, even after failures. */
    @Override
    public void close() {
        for (DistributionKeycloak node : new DistributionKeycloak[] {nodeB, nodeA}) {
            if (node != null) {
                try {
                    node.close();
                } catch (RuntimeException e) {
                    node.crash();
                }
            }
        }
        db.close();
    }

    /** A free port p (not excluded) whose failure-detection port p + offset is free too. */
    private static int freePortWith(int offset, Set<Integer> excluded) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = DistributionKeycloak.freePort();
            if (port + offset < 65536 && !excluded.contains(port) && !excluded.contains(port + offset) && isFree(port + offset)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port pair for the cluster transport");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
