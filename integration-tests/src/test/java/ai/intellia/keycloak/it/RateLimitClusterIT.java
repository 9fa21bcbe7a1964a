package ai.intellia.keycloak.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.it.harness.Cluster;
import ai.intellia.keycloak.it.harness.ClusterExtension;
import ai.intellia.keycloak.it.harness.Http.Reply;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's cluster semantics of a key's rate limit: counted per node, so two nodes allow up
 * to 2·N per window, and each node refuses its own (N+1)-th call. Run with {@code mvn verify -Pcluster}.
 */
@ExtendWith(ClusterExtension.class)
class RateLimitClusterIT {

    private final Cluster cluster;

    RateLimitClusterIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    @DisplayName("given an assume-role limit of N/h then each node allows N calls and refuses the next with 429")
    void limitIsPerNode() {
        OrgFixture org = OrgFixture.create(cluster.adminA());
        OnNode a = new OnNode(cluster.nodeA(), org);
        OnNode b = new OnNode(cluster.nodeB(), org);
        Reply created = a.createKey(Map.of("description", "limited", "permissions", OrgFixture.grant("assume_role", false, true),
                "rateLimits", Map.of("assumeRole", "3/h")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = created.json().get("key").asText();
        Map<String, String> user = Map.of("userId", "cluster-user");

        for (int i = 0; i < 3; i++) {
            assertThat(a.assume(key, user).status()).as("call %d on A", i + 1).isEqualTo(200);
        }
        Reply refusedOnA = a.assume(key, user);
        assertThat(refusedOnA.status()).as(refusedOnA.toString()).isEqualTo(429);
        assertThat(refusedOnA.header("Retry-After")).isPresent();

        // B has its own counter: A's three calls did not use up B's budget
        for (int i = 0; i < 3; i++) {
            Reply onB = b.assume(key, user);
            assertThat(onB.status()).as("call %d on B: %s", i + 1, onB).isEqualTo(200);
            assertThat(onB.header("RateLimit-Remaining")).contains(Integer.toString(2 - i));
        }
        assertThat(b.assume(key, user).status()).isEqualTo(429);
        assertThat(a.assume(key, user).status()).isEqualTo(429); // and A still refuses
    }
}
