package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import ai.intellia.keycloak.it.harness.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Contract 7: keys and revocations are in the database, not in a cache: they survive a restart. */
@ExtendWith(KeycloakExtension.class)
class DurabilityIT {

    private final KeycloakServer server;
    private final AdminClient admin;

    DurabilityIT(KeycloakServer server, AdminClient admin) {
        this.server = server;
        this.admin = admin;
    }

    @Test
    @DisplayName("given a live and a revoked key then after a restart the live one works and the revoked one does not,"
            + " and last uses, usage counts and introspection events noted just before the restart were written on the way down")
    void survivesRestart() {
        OrgFixture org = OrgFixture.create(admin);
        JsonNode live = org.createKey(Map.of("description", "live"));
        JsonNode revoked = org.createKey(Map.of("description", "revoked"));
        assertThat(org.isActive(revoked.get("key").asText())).isTrue();
        assertThat(Http.delete(org.keysUrl() + "/" + revoked.get("id").asText(), org.ownerToken).status()).isEqualTo(204);
        assertThat(org.isActive(live.get("key").asText())).isTrue();
        assertThat(org.isActive(live.get("key").asText())).isTrue();
        long lastIntrospection = System.currentTimeMillis();
        String lastUsed = Http.get(org.keysUrl(), org.ownerToken).json().get(0).get("lastUsedAt").asText();
        assertThat(lastUsed).as("served from memory before the flush").isNotEqualTo("null");
        JsonNode usageBefore = Http.get(org.keysUrl(), org.ownerToken).json().get(0).get("usage").get("days").get(0);
        assertThat(usageBefore.get("used").asLong()).as("counted in memory before the flush").isEqualTo(2);

        // Last uses are flushed every 60 s; a restart right after the use leaves only the flush at shutdown.
        server.restart();

        String owner = admin.userToken(org.realm, "owner-" + org.alias, "pw");
        JsonNode keys = Http.get(org.keysUrl(), owner).json();
        assertThat(keys.findValuesAsText("id")).containsExactly(live.get("id").asText());
        assertThat(keys.get(0).get("lastUsedAt").asText()).isEqualTo(lastUsed);
        assertThat(keys.get(0).get("usage").get("days").get(0)).as("usage counts written on the way down").isEqualTo(usageBefore);
        // Successful introspections are stored in batches (issue 12): the last one is stored too.
        assertThat(introspectionTimes(org, live.get("id").asText())).as("stored before the restart, on the way down at the latest")
                .hasSize(2).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(lastIntrospection + 1000));
        assertThat(org.isActive(live.get("key").asText())).isTrue();
        assertThat(org.isActive(revoked.get("key").asText())).isFalse();
    }

    private List<Long> introspectionTimes(OrgFixture org, String keyId) {
        List<Long> times = new ArrayList<>();
        for (JsonNode e : admin.events(org.realm, "type=INTROSPECT_TOKEN&max=100")) {
            if (keyId.equals(e.at("/details/api_key_id").asText())) {
                times.add(e.get("time").asLong());
            }
        }
        return times;
    }
}
