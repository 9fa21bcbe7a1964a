package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Contract 8: maxKeyLifetimeDays and requireExpiry, realm-wide and tightened per organization; 400 lifetime_policy. */
@ExtendWith(KeycloakExtension.class)
class LifetimePolicyIT {

    private final AdminClient admin;
    private String realm;
    private OrgFixture org;

    LifetimePolicyIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshRealm() {
        realm = "lifetime-" + System.nanoTime();
        admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true, "eventsEnabled", true));
        org = OrgFixture.create(admin, realm);
    }

    private Reply putSettings(Map<String, Object> settings) {
        return Http.putJson(admin.url(realm, "/api-keys/settings"), admin.token(), settings);
    }

    private Reply create(Instant expiresAt) {
        Map<String, Object> body = new HashMap<>(Map.of("description", "policy", "permissions", Map.of()));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return Http.postJson(org.keysUrl(), org.ownerToken, body);
    }

    private static Instant inDays(long days) {
        return Instant.now().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    @DisplayName("given no policy then a key without expiry is created")
    void noPolicy() {
        assertThat(create(null).status()).isEqualTo(201);
        assertThat(Http.get(admin.url(realm, "/api-keys/settings"), admin.token()).json().get("maxKeyLifetimeDays").isNull()).isTrue();
    }

    @Test
    @DisplayName("given maxKeyLifetimeDays then a longer expiry or none is 400 lifetime_policy naming the limit, a shorter one is created")
    void maximum() {
        assertThat(putSettings(Map.of("maxKeyLifetimeDays", 90)).status()).isEqualTo(200);

        Reply tooLong = create(inDays(91));
        Refusals.assertRefused(tooLong, 400, "lifetime_policy");
        assertThat(tooLong.json().get("error_description").asText()).contains("at most 90 days").contains("on or before");
        Reply none = create(null);
        Refusals.assertRefused(none, 400, "lifetime_policy");
        assertThat(create(inDays(89)).status()).isEqualTo(201);
        assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).hasSize(1); // refusals wrote nothing
    }

    @Test
    @DisplayName("given requireExpiry then a key without expiresAt is refused and one with it is created")
    void requireExpiry() {
        assertThat(putSettings(Map.of("requireExpiry", true)).status()).isEqualTo(200);
        Reply none = create(null);
        Refusals.assertRefused(none, 400, "lifetime_policy");
        assertThat(none.json().get("error_description").asText()).contains("require an expiry");
        assertThat(create(inDays(3650)).status()).isEqualTo(201);
    }

    @Test
    @DisplayName("given a policy set after a key was made then rotating it is 400 lifetime_policy and the key keeps working")
    void rotationKeepsTheOldExpiry() {
        String id = create(null).json().get("id").asText();
        String inRange = create(inDays(10)).json().get("id").asText();
        assertThat(putSettings(Map.of("maxKeyLifetimeDays", 30)).status()).isEqualTo(200);

        Reply refused = Http.postJson(org.keysUrl() + "/" + id + "/rotate", org.ownerToken, Map.of());
        Refusals.assertRefused(refused, 400, "lifetime_policy");
        assertThat(Http.get(org.keysUrl() + "/" + id, org.ownerToken).status()).isEqualTo(200);
        assertThat(Http.postJson(org.keysUrl() + "/" + inRange + "/rotate", org.ownerToken, Map.of()).status()).isEqualTo(201);
    }

    @Test
    @DisplayName("given an organization attribute then it tightens the realm's policy but cannot loosen it")
    void organizationTightensOnly() {
        assertThat(putSettings(Map.of("maxKeyLifetimeDays", 90)).status()).isEqualTo(200);
        OrgFixture other = OrgFixture.create(admin, realm);
        setOrgAttributes(org, Map.of("intellia.api-keys.max-key-lifetime-days", "7"));
        setOrgAttributes(other, Map.of("intellia.api-keys.max-key-lifetime-days", "365"));

        Reply tight = create(inDays(8));
        Refusals.assertRefused(tight, 400, "lifetime_policy");
        assertThat(tight.json().get("error_description").asText()).contains("at most 7 days");
        Reply loose = Http.postJson(other.keysUrl(), other.ownerToken,
                Map.of("description", "x", "permissions", Map.of(), "expiresAt", inDays(200).toString()));
        Refusals.assertRefused(loose, 400, "lifetime_policy");
        assertThat(loose.json().get("error_description").asText()).contains("at most 90 days");
    }

    @Test
    @DisplayName("given invalid policy values then the settings PUT answers 400")
    void invalidValues() {
        Refusals.assertRefused(putSettings(Map.of("maxKeyLifetimeDays", 0)), 400, "invalid_request");
        Refusals.assertRefused(putSettings(Map.of("maxKeyLifetimeDays", 36_501)), 400, "invalid_request");
        Refusals.assertRefused(putSettings(Map.of("maxKeyLifetimeDays", "30")), 400, "invalid_request");
        Refusals.assertRefused(putSettings(Map.of("requireExpiry", "yes")), 400, "invalid_request");
        Map<String, Object> nullMax = new HashMap<>();
        nullMax.put("maxKeyLifetimeDays", null);
        assertThat(putSettings(nullMax).status()).isEqualTo(200);
    }

    private void setOrgAttributes(OrgFixture fixture, Map<String, String> attributes) {
        String url = admin.url(realm, "/organizations/" + fixture.orgId);
        ObjectNode rep = (ObjectNode) Http.get(url, admin.token()).json();
        ObjectNode attrs = rep.putObject("attributes");
        attributes.forEach((k, v) -> attrs.putArray(k).add(v));
        assertThat(Http.putJson(url, admin.token(), rep).status()).isEqualTo(204);
    }
}
