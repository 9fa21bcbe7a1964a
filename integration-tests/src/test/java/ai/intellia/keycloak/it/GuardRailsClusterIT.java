package ai.intellia.keycloak.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.it.harness.Cluster;
import ai.intellia.keycloak.it.harness.ClusterExtension;
import ai.intellia.keycloak.it.harness.Http.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import ai.intellia.keycloak.it.harness.Http;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Guard rails where a deployment runs them: behind a load balancer (the nodes run with
 * {@code --proxy-headers=xforwarded}, so {@code X-Forwarded-For} is the caller's address, IPv4 or
 * IPv6), and the README's cluster semantics of a key's rate limit: counted per node, so two nodes allow up
 * to 2·N per window, and each node refuses its own (N+1)-th call. Run with {@code mvn verify -Pcluster}.
 */
@ExtendWith(ClusterExtension.class)
class GuardRailsClusterIT {

    private final Cluster cluster;

    GuardRailsClusterIT(Cluster cluster) {
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

    /** Assume-role on {@code node} as a caller at {@code address}, as a TLS-terminating proxy forwards it. */
    private static Reply assumeFrom(OnNode node, String key, String address) {
        return Http.send(forwarded(HttpRequest.newBuilder(URI.create(node.url(node.org().orgUrl()) + "/assume-role"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"userId\": \"proxied-user\"}")), address));
    }

    private static Reply exchangeFrom(OnNode node, String key, String address) {
        String form = "grant_type=" + Http.encode(TokenExchangeIT.GRANT) + "&subject_token=" + Http.encode(key)
                + "&subject_token_type=" + Http.encode(TokenExchangeIT.API_KEY_TYPE)
                + "&client_id=" + OrgFixture.RS_CLIENT + "&client_secret=" + OrgFixture.RS_SECRET;
        return Http.send(forwarded(HttpRequest.newBuilder(URI.create(node.node().baseUrl() + "/realms/" + node.org().realm
                + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form)), address));
    }

    /** Keycloak refuses plain HTTP from a non-local address ("HTTPS required"): the proxy says it terminated TLS. */
    private static HttpRequest forwarded(HttpRequest.Builder request, String address) {
        return request.timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", address).header("X-Forwarded-Proto", "https").build();
    }

    @Test
    @DisplayName("given IPv4 and IPv6 allow-lists then callers behind a proxy header inside pass and outside are refused")
    void allowListBehindAProxyHeader() {
        OrgFixture org = OrgFixture.create(cluster.adminA());
        OnNode a = new OnNode(cluster.nodeA(), org);
        OnNode b = new OnNode(cluster.nodeB(), org);
        Reply created = a.createKey(Map.of("description", "proxied", "permissions", OrgFixture.grant("assume_role", false, true),
                "allowedCidrs", List.of("203.0.113.0/24", "2001:db8::/32"), "rateLimits", Map.of("exchange", "1/h")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = created.json().get("key").asText();

        assertThat(assumeFrom(a, key, "203.0.113.200").status()).isEqualTo(200);
        assertThat(assumeFrom(b, key, "2001:db8::5").status()).isEqualTo(200);
        assertThat(assumeFrom(a, key, "::ffff:203.0.113.5").status()).isEqualTo(200); // IPv4-mapped counts as IPv4
        Reply v4 = assumeFrom(a, key, "198.51.100.7");
        assertThat(v4.status()).as(v4.toString()).isEqualTo(403);
        assertThat(v4.json().path("error").asText()).isEqualTo("ip_not_allowed");
        Reply v6 = assumeFrom(b, key, "2001:db9::1");
        assertThat(v6.status()).as(v6.toString()).isEqualTo(403);
        assertThat(v6.json().path("error").asText()).isEqualTo("ip_not_allowed");

        // the exchange: refused addresses do not use up the key's 1/h, the first allowed call does
        Reply refused = exchangeFrom(a, key, "2001:db9::1");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).isEqualTo("access_denied");
        assertThat(exchangeFrom(a, key, "198.51.100.7").status()).isEqualTo(403);
        Reply allowed = exchangeFrom(a, key, "2001:db8:1::9");
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        assertThat(exchangeFrom(a, key, "2001:db8:1::9").status()).isEqualTo(429);
    }
}
