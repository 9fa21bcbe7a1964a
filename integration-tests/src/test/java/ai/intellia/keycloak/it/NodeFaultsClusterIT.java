package ai.intellia.keycloak.it;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.it.harness.Cluster;
import ai.intellia.keycloak.it.harness.ClusterExtension;
import ai.intellia.keycloak.it.harness.DistributionKeycloak;
import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Node failures: {@code kill -9} of one node under load, its restart, and a restart of both.
 * Each test leaves both nodes running and clustered. Run with {@code mvn verify -Pcluster}.
 */
@ExtendWith(ClusterExtension.class)
class NodeFaultsClusterIT {

    /** Per node, the load is bounded in count and in time (all on loopback). */
    private static final int THREADS_PER_NODE = 3;
    private static final int MAX_REQUESTS_PER_NODE = 1_500;
    private static final long LOAD_BEFORE_KILL_MS = 4_000; // at least
    private static final long LOAD_AFTER_KILL_MS = 6_000;

    private final Cluster cluster;

    NodeFaultsClusterIT(Cluster cluster) {
        this.cluster = cluster;
    }

    /** One node's share of the load: its answers, and what failed. */
    private static final class NodeLoad {
        final OnNode node;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        NodeLoad(OnNode node) {
            this.node = node;
        }

        void run(AtomicBoolean stop, String key, String minter) {
            int i;
            while (!stop.get() && (i = sent.incrementAndGet()) <= MAX_REQUESTS_PER_NODE) {
                try {
                    Reply reply = i % 2 == 0
                            ? node.introspect(key)
                            : node.assume(minter, Map.of("userId", "load-" + (i % 20)));
                    boolean good = reply.status() == 200 && (i % 2 != 0 || reply.json().path("active").asBoolean());
                    if (good) {
                        ok.incrementAndGet();
                    } else {
                        failures.add(reply.toString());
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    failures.add(e.toString());
                }
            }
        }
    }

    private record Created(long answeredAt, String key) {
    }

    @Test
    @DisplayName("given load on both nodes when B is killed -9 then A has no errors, B's keys exist, and B rejoins and sees a revocation made while it was down")
    void killNineUnderLoad() throws Exception {
        OrgFixture org = OrgFixture.create(cluster.adminA());
        OnNode a = new OnNode(cluster.nodeA(), org);
        OnNode b = new OnNode(cluster.nodeB(), org);
        String key = org.createKey("introspected", grant("agents", true, false)).get("key").asText();
        String minter = org.createKey("minter", grant("assume_role", false, true)).get("key").asText();
        JsonNode toRevoke = org.createKey("revoked while B is down", grant("agents", true, false));
        assertThat(b.isActive(toRevoke.get("key").asText())).isTrue();

        NodeLoad loadA = new NodeLoad(a);
        NodeLoad loadB = new NodeLoad(b);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        List<Created> createdOnB = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE + 1);
        for (int t = 0; t < THREADS_PER_NODE; t++) {
            pool.submit(() -> loadA.run(stop, key, minter));
            pool.submit(() -> loadB.run(stop, key, minter));
        }
        pool.submit(() -> { // keys created on the victim until it dies
            while (!killed.get()) {
                try {
                    Reply reply = b.createKey(Map.of("description", "made on B", "permissions", grant("agents", true, false)));
                    if (reply.status() == 201) {
                        createdOnB.add(new Created(System.currentTimeMillis(), reply.json().get("key").asText()));
                    }
                } catch (RuntimeException e) {
                    return; // the kill
                }
            }
        });

        Thread.sleep(LOAD_BEFORE_KILL_MS);
        // and at least one key that B confirmed more than 1 s ago (B may be slow to answer the first)
        assertThat(Poll.until(Duration.ofSeconds(30),
                () -> createdOnB.stream().anyMatch(c -> c.answeredAt() <= System.currentTimeMillis() - 1_200))).isTrue();
        long killAt = System.currentTimeMillis();
        int okOnBBeforeKill = loadB.ok.get();
        cluster.nodeB().crash();
        killed.set(true);
        Thread.sleep(LOAD_AFTER_KILL_MS);
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        System.out.printf("[cluster] kill -9 of B under load: A %d ok, %d errors; B %d ok (%d before the kill), %d failed (in flight or after the kill); %d keys created on B%n",
                loadA.ok.get(), loadA.failures.size(), loadB.ok.get(), okOnBBeforeKill, loadB.failures.size(), createdOnB.size());
        assertThat(loadA.failures).as("the survivor's errors").isEmpty();
        assertThat(loadA.ok.get()).isPositive();
        assertThat(okOnBBeforeKill).isPositive();

        List<String> settled = createdOnB.stream().filter(c -> c.answeredAt() <= killAt - 1_000).map(Created::key).toList();
        List<String> late = createdOnB.stream().filter(c -> c.answeredAt() > killAt - 1_000).map(Created::key).toList();
        assertThat(settled).as("keys created on B more than 1 s before the kill").isNotEmpty();
        for (String created : settled) {
            assertThat(a.isActive(created)).as("key created on B before the kill, on A").isTrue();
        }
        System.out.printf("[cluster] keys answered 201 by B within 1 s of the kill that exist on A: %d of %d%n",
                late.stream().filter(a::isActive).count(), late.size());

        assertThat(a.revoke(toRevoke.get("id").asText()).status()).isEqualTo(204);
        long downSince = System.nanoTime();
        cluster.relaunch(cluster.nodeB());
        System.out.printf("[cluster] B restarted and rejoined in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSince));

        assertThat(b.isActive(toRevoke.get("key").asText())).as("revoked while B was down, on B").isFalse();
        assertThat(b.isActive(key)).isTrue();
        for (String created : settled) {
            assertThat(b.isActive(created)).isTrue();
        }
        assertThat(b.assume(minter, Map.of("userId", "after-rejoin")).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("given keys and revocations when both nodes restart then every key and revocation is kept")
    void restartOfBothNodesKeepsEverything() {
        OrgFixture org = OrgFixture.create(cluster.adminA());
        List<String> active = new ArrayList<>();
        List<String> revoked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            active.add(org.createKey("kept-" + i, grant("agents", true, false)).get("key").asText());
            JsonNode gone = org.createKey("revoked-" + i, grant("agents", true, false));
            revoked.add(gone.get("key").asText());
            OnNode revoker = new OnNode(i % 2 == 0 ? cluster.nodeA() : cluster.nodeB(), org);
            assertThat(revoker.revoke(gone.get("id").asText()).status()).isEqualTo(204);
        }

        cluster.restartBoth();

        for (DistributionKeycloak node : cluster.nodes()) {
            OnNode on = new OnNode(node, org);
            for (String key : active) {
                assertThat(on.isActive(key)).as("kept key on " + node.baseUrl()).isTrue();
            }
            for (String key : revoked) {
                assertThat(on.isActive(key)).as("revoked key on " + node.baseUrl()).isFalse();
            }
        }
    }
}
