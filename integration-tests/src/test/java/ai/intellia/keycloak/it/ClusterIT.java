package ai.intellia.keycloak.it;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Cluster;
import ai.intellia.keycloak.it.harness.ClusterExtension;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Everything that could differ between the nodes of Keycloak's own cluster (two nodes on one
 * PostgreSQL, see {@link Cluster}): a write on one node, read on the other. Run with
 * {@code mvn verify -Pcluster}. Propagation times are printed to the test output.
 */
@ExtendWith(ClusterExtension.class)
class ClusterIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(1);

    private final Cluster cluster;
    private final AdminClient admin;
    private OrgFixture org;
    private OnNode a;
    private OnNode b;

    ClusterIT(Cluster cluster) {
        this.cluster = cluster;
        this.admin = cluster.adminA();
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
        a = new OnNode(cluster.nodeA(), org);
        b = new OnNode(cluster.nodeB(), org);
    }

    private String createOn(OnNode node, Map<String, Object> permissions) {
        Reply reply = node.createKey(Map.of("description", "cluster", "permissions", permissions));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("key").asText();
    }

    @Test
    @DisplayName("given a key created on A then it is active on B (whose caches were warm)")
    void createdOnAActiveOnB() {
        String warm = createOn(a, grant("agents", true, false));
        assertThat(b.isActive(warm)).isTrue(); // B now caches the organization's key holder

        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = createOn(a, grant("agents", true, false));
            long millis = Timing.millisUntil(PROPAGATION, () -> b.isActive(key));
            assertThat(millis).as("key created on A active on B within %s", PROPAGATION).isNotNegative();
            times.add(millis);
        }
        System.out.println("[cluster] created on A -> active on B: " + Timing.summary(times));
    }

    @Test
    @DisplayName("given a key revoked on B then A answers inactive within 1 s (10 tries, times printed)")
    void revokedOnBInactiveOnA() {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            JsonNode created = org.createKey("revoke-" + i, grant("agents", true, false));
            String key = created.get("key").asText();
            assertThat(a.isActive(key)).isTrue();
            assertThat(b.isActive(key)).isTrue();

            assertThat(b.revoke(created.get("id").asText()).status()).isEqualTo(204);

            long millis = Timing.millisUntil(PROPAGATION, () -> !a.isActive(key));
            assertThat(millis).as("revoked on B, still active on A after %s", PROPAGATION).isNotNegative();
            assertThat(b.isActive(key)).isFalse();
            times.add(millis);
        }
        System.out.println("[cluster] revoked on B -> inactive on A: " + Timing.summary(times));
    }

    @Test
    @DisplayName("given a rotation on A with grace then both keys work on both nodes until the grace ends, then only the new one")
    void rotationGraceOnBothNodes() {
        JsonNode old = org.createKey("rotating", grant("agents", true, false));
        String oldKey = old.get("key").asText();
        assertThat(b.isActive(oldKey)).isTrue();

        Reply rotated = Http.postJson(a.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.ownerToken,
                Map.of("gracePeriodSeconds", 4));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        String newKey = rotated.json().get("key").asText();

        for (OnNode node : List.of(a, b)) {
            assertThat(node.isActive(oldKey)).as("old key during grace on " + node.node().baseUrl()).isTrue();
            assertThat(node.isActive(newKey)).as("new key on " + node.node().baseUrl()).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(15), () -> !a.isActive(oldKey) && !b.isActive(oldKey))).isTrue();
        assertThat(a.isActive(newKey)).isTrue();
        assertThat(b.isActive(newKey)).isTrue();

        // and without grace, rotated on B: the old key stops on A within the propagation bound
        Reply again = Http.postJson(b.keysUrl() + "/" + rotated.json().get("id").asText() + "/rotate", org.ownerToken, Map.of());
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(Timing.millisUntil(PROPAGATION, () -> !a.isActive(newKey))).isNotNegative();
        assertThat(a.isActive(again.json().get("key").asText())).isTrue();
    }

    @Test
    @DisplayName("given 10 concurrent first assume-role calls for one userId split over both nodes then one user (4 rounds)")
    void concurrentFirstAssumeRoleAcrossNodes() throws Exception {
        String key = createOn(a, grant("assume_role", false, true));
        for (int round = 0; round < 4; round++) {
            String userId = "cluster-race-" + round + "-" + System.nanoTime();
            List<Reply> replies = concurrently(10, i -> (i % 2 == 0 ? a : b).assume(key, Map.of("userId", userId)));

            Set<String> subs = new HashSet<>();
            for (Reply reply : replies) {
                assertThat(reply.status()).as("round %d: %s", round, reply).isEqualTo(200);
                subs.add(SignedJWT.parse(reply.json().get("token").asText()).getJWTClaimsSet().getSubject());
            }
            assertThat(subs).hasSize(1);
            assertThat(provisioned(userId).findValuesAsText("id")).containsExactlyElementsOf(subs);
            assertThat(admin.members(org.realm, org.orgId).findValuesAsText("id")).containsOnlyOnce(subs.iterator().next());
        }
    }

    @Test
    @DisplayName("given an organization without its Default group then concurrent first calls on both nodes create it once")
    void missingGroupCreatedOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            OrgFixture fresh = OrgFixture.create(admin); // Owners and Admins only: Default is made on first use
            assertThat(groupsNamed(fresh, "Default")).isZero();
            String key = fresh.createKey("backend", grant("assume_role", false, true)).get("key").asText();
            OnNode freshA = new OnNode(cluster.nodeA(), fresh);
            OnNode freshB = new OnNode(cluster.nodeB(), fresh);

            List<Reply> replies = concurrently(8, i -> (i % 2 == 0 ? freshA : freshB).assume(key, Map.of("userId", "first-" + i)));

            for (Reply reply : replies) {
                assertThat(reply.status()).as("round %d: %s", round, reply).isEqualTo(200);
            }
            assertThat(groupsNamed(fresh, "Default")).as("Default groups in round " + round).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("given settings changed on A then B applies them to its next answer")
    void settingsChangedOnASeenOnB() {
        String realm = "cluster-settings-" + System.nanoTime();
        admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true, "eventsEnabled", true));
        OrgFixture local = OrgFixture.create(admin, realm);
        OnNode localB = new OnNode(cluster.nodeB(), local);
        String key = local.createKey("minter", grant("assume_role", false, true)).get("key").asText();
        assertThat(lifetime(localB.assume(key, Map.of("userId", "u-before")))).isEqualTo(7200);

        Reply put = Http.putJson(admin.url(realm, "/api-keys/settings"), admin.token(), Map.of("assumeRoleLifetimeSeconds", 600));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);

        long millis = Timing.millisUntil(PROPAGATION, () -> lifetime(localB.assume(key, Map.of("userId", "u-after"))) == 600);
        assertThat(millis).as("settings from A applied on B within %s", PROPAGATION).isNotNegative();
        JsonNode onB = Http.get(cluster.nodeB().baseUrl() + "/admin/realms/" + realm + "/api-keys/settings", cluster.adminB().token()).json();
        assertThat(onB.get("assumeRoleLifetimeSeconds").asInt()).isEqualTo(600);
        System.out.println("[cluster] settings changed on A -> applied on B: " + millis + " ms");
    }

    @Test
    @DisplayName("given keys used on A only, B only and both then both nodes list every last use (the latest one)")
    void lastUseMergedAcrossNodes() {
        JsonNode onlyA = org.createKey("only-a", grant("agents", true, false));
        JsonNode onlyB = org.createKey("only-b", grant("agents", true, false));
        JsonNode both = org.createKey("both", grant("agents", true, false));
        assertThat(a.isActive(onlyA.get("key").asText())).isTrue();
        assertThat(b.isActive(onlyB.get("key").asText())).isTrue();
        assertThat(a.isActive(both.get("key").asText())).isTrue();
        sleep(2100); // lastUsedAt has whole seconds: the later use is in a later second
        Instant laterUse = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(b.isActive(both.get("key").asText())).isTrue();

        for (OnNode node : List.of(a, b)) {
            boolean merged = Poll.until(Duration.ofSeconds(15), () -> {
                Map<String, Instant> uses = lastUses(node);
                Instant bothUse = uses.get(both.get("id").asText());
                return uses.get(onlyA.get("id").asText()) != null && uses.get(onlyB.get("id").asText()) != null
                        && bothUse != null && !bothUse.isBefore(laterUse);
            });
            assertThat(merged).as("last uses listed on " + node.node().baseUrl() + ": " + lastUses(node)).isTrue();
        }
    }

    @Test
    @DisplayName("given uses of one key on A and on B, across several flushes, then both nodes count each use exactly once")
    void usageCountsAddUpAcrossNodes() {
        JsonNode key = org.createKey("counted", grant("agents", true, false));
        String secret = key.get("key").asText();
        String id = key.get("id").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(a.isActive(secret)).isTrue();
        }
        assertThat(b.isActive(secret)).isTrue();
        sleep(1500); // a flush (every second here) in between: later counts add to written ones
        assertThat(b.isActive(secret)).isTrue();
        assertThat(a.isActive(secret)).isTrue();

        for (OnNode node : List.of(a, b)) {
            boolean merged = Poll.until(Duration.ofSeconds(15), () -> usedToday(node, id) == 6);
            assertThat(merged).as("used today on " + node.node().baseUrl() + ": " + usedToday(node, id)).isTrue();
        }
        sleep(3000); // more flushes, with nothing new: nothing is added twice
        for (OnNode node : List.of(a, b)) {
            assertThat(usedToday(node, id)).as("used today on " + node.node().baseUrl()).isEqualTo(6);
        }
    }

    @Test
    @DisplayName("given 8 keys in 3 key holders used on A only then B lists each one's last use and count, written to each holder's own ledger")
    void usageOfEveryHolderWrittenToItsLedger() {
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<JsonNode> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // 3 keys per holder in the tests (keycloak.keys-per-holder)
            keys.add(org.createKey("holder key " + i, grant("agents", true, false)));
        }
        for (int i = 0; i < keys.size(); i++) {
            for (int use = 0; use <= i % 3; use++) { // 1, 2 or 3 uses: each key's count is its own
                assertThat(a.isActive(keys.get(i).get("key").asText())).isTrue();
            }
        }
        boolean written = Poll.until(Duration.ofSeconds(15), () -> {
            Map<String, Instant> uses = lastUses(b);
            return keys.stream().allMatch(k -> uses.get(k.get("id").asText()) != null);
        });
        assertThat(written).as("last uses listed on B: " + lastUses(b)).isTrue();
        Map<String, Instant> uses = lastUses(b);
        for (int i = 0; i < keys.size(); i++) {
            String id = keys.get(i).get("id").asText();
            assertThat(uses.get(id)).as("last use of key %d", i).isAfterOrEqualTo(before);
            int expected = 1 + i % 3;
            assertThat(Poll.until(Duration.ofSeconds(15), () -> usedToday(b, id) == expected))
                    .as("key %d used today, on B: %d", i, usedToday(b, id)).isTrue();
        }
        Reply ledgers = Http.get(admin.url(org.realm, "/users?max=100&q=" + Http.encode("intellia.api-key-usage-of:" + org.orgId)), admin.token());
        assertThat(ledgers.status()).as(ledgers.toString()).isEqualTo(200);
        assertThat(ledgers.json()).as("one usage ledger per key holder").hasSize(3);
    }

    // -------------------------------------------------------------------------------------------

    private long usedToday(OnNode node, String keyId) {
        Reply reply = Http.get(node.keysUrl() + "/" + keyId, org.ownerToken);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode today = reply.json().get("usage").get("days").get(0);
        assertThat(today.get("date").asText()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        return today.get("used").asLong();
    }

    private Map<String, Instant> lastUses(OnNode node) {
        Reply reply = Http.get(node.keysUrl() + "?max=100", org.ownerToken);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        Map<String, Instant> uses = new java.util.HashMap<>();
        for (JsonNode key : reply.json()) {
            JsonNode at = key.get("lastUsedAt");
            uses.put(key.get("id").asText(), at == null || at.isNull() ? null : Instant.parse(at.asText()));
        }
        return uses;
    }

    private static long lifetime(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        try {
            var claims = SignedJWT.parse(reply.json().get("token").asText()).getJWTClaimsSet();
            return (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private long groupsNamed(OrgFixture in, String name) {
        Reply reply = Http.get(admin.url(in.realm, "/organizations/" + in.orgId + "/groups?briefRepresentation=true&max=100"), admin.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return StreamSupport.stream(reply.json().spliterator(), false).filter(g -> name.equals(g.path("name").asText())).count();
    }

    private JsonNode provisioned(String userId) {
        Reply reply = Http.get(admin.url(org.realm, "/users?briefRepresentation=false&q=" + Http.encode("intellia.user-id:" + userId)),
                admin.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    interface Call {
        Reply call(int index) throws Exception;
    }

    /** Runs {@code call} on {@code n} threads released at the same moment. */
    static List<Reply> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Reply> task = () -> {
                    start.await();
                    return call.call(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
