package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Contract 4.1 and 4.3: RFC 7662 introspection of keys at Keycloak's own endpoint, and its events. */
@ExtendWith(KeycloakExtension.class)
class IntrospectionIT {

    private final AdminClient admin;
    private OrgFixture org;

    IntrospectionIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    @Test
    @DisplayName("given a live key then active with exactly the contract's claims")
    void activeKey() {
        Map<String, Object> permissions = new HashMap<>();
        permissions.put("agents", Map.of("read", true, "write", false));
        permissions.put("assume_role", Map.of("write", true));
        JsonNode created = org.createKey(Map.of("description", "rs", "permissions", permissions, "expiresAt", "2099-01-01T00:00:00Z"));

        Reply reply = org.introspect(created.get("key").asText());

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder("active", "token_type", "source", "sub", "api_key_id",
                "organization_id", "scope", "permissions", "iat", "exp");
        assertThat(json.get("active").asBoolean()).isTrue();
        assertThat(json.get("token_type").asText()).isEqualTo("api_key");
        assertThat(json.get("source").asText()).isEqualTo("api-key");
        assertThat(json.get("api_key_id").asText()).isEqualTo(created.get("id").asText());
        assertThat(json.get("organization_id").asText()).isEqualTo(org.orgId);
        assertThat(json.get("scope").asText()).isEqualTo("agents:read assume_role:write");
        assertThat(json.get("permissions")).isEqualTo(created.get("permissions"));
        assertThat(json.get("iat").asLong()).isEqualTo(Instant.parse(created.get("createdAt").asText()).getEpochSecond());
        assertThat(json.get("exp").asLong()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z").getEpochSecond());
    }

    @Test
    @DisplayName("given a key without expiry then no exp")
    void noExpiry() {
        JsonNode json = org.introspect(org.createKey(Map.of("description", "forever")).get("key").asText()).json();
        assertThat(json.get("active").asBoolean()).isTrue();
        assertThat(json.has("exp")).isFalse();
        assertThat(json.get("scope").asText()).isEmpty();
    }

    @Test
    @DisplayName("given unknown, malformed, mistyped, revoked or expired keys then exactly {\"active\":false}")
    void inactiveKeys() {
        JsonNode live = org.createKey(Map.of("description", "live"));
        String key = live.get("key").asText();
        JsonNode revoked = org.createKey(Map.of("description", "revoked"));
        Http.delete(org.keysUrl() + "/" + revoked.get("id").asText(), org.ownerToken);
        JsonNode expiring = org.createKey(Map.of("description", "expiring", "expiresAt", Instant.now().plusSeconds(2).toString()));
        String donor = org.createKey(Map.of("description", "donor")).get("key").asText();
        String otherSecret = ForgedKeys.withSecret(key, donor.substring(ForgedKeys.SECRET_AT, ForgedKeys.TAG_AT));

        assertThat(Poll.until(Duration.ofSeconds(8), () -> !org.isActive(expiring.get("key").asText()))).isTrue();
        for (String token : List.of("ik_nope", "", "x".repeat(5000), ForgedKeys.typo(key), ForgedKeys.secretTypo(key), otherSecret,
                ForgedKeys.withMadeUpTag(key), ForgedKeys.madeUp(), revoked.get("key").asText(), expiring.get("key").asText(),
                "eyJhbGciOiJub25lIn0.e30.")) {
            Refusals.assertInactive(org.introspect(token));
        }
        assertThat(org.isActive(key)).isTrue();
    }

    @Test
    @DisplayName("given no token parameter at all then Keycloak's own 400 invalid_request (an empty token is inactive, above)")
    void missingToken() {
        Reply reply = Http.postForm(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect", null,
                Map.of("token_type_hint", "api_key", "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
        Refusals.assertRefused(reply, 400, "invalid_request");
    }

    @Test
    @DisplayName("given a public client or bad client credentials then the endpoint refuses before looking at the key")
    void clientMustAuthenticate() {
        String key = org.createKey(Map.of("description", "k")).get("key").asText();
        Reply reply = Http.postForm(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect", null,
                Map.of("token", key, "token_type_hint", "api_key", "client_id", OrgFixture.RS_CLIENT, "client_secret", "wrong"));
        Refusals.assertRefused(reply, 401, "invalid_client");
        assertThat(reply.body()).doesNotContain(key);
    }

    @Test
    @DisplayName("given an introspection then within about a second an INTROSPECT_TOKEN event tagged source=api-key,"
            + " timed at the request")
    void introspectionEvent() {
        JsonNode created = org.createKey(Map.of("description", "evented"));
        long before = System.currentTimeMillis();
        org.introspect(created.get("key").asText());
        long after = System.currentTimeMillis();

        // Successful introspections are stored in batches, once a second per node (issue 12).
        assertThat(Poll.until(Duration.ofSeconds(3), () -> introspectionEventOf(created.get("id").asText()) != null)).isTrue();
        JsonNode event = introspectionEventOf(created.get("id").asText());
        assertThat(event.at("/details/source").asText()).isEqualTo("api-key");
        assertThat(event.at("/details/organization_id").asText()).isEqualTo(org.orgId);
        assertThat(event.get("clientId").asText()).isEqualTo(OrgFixture.RS_CLIENT);
        assertThat(event.get("time").asLong()).isBetween(before - 1000, after + 1000);
    }

    @Test
    @DisplayName("given the extension installed without configuration then its batching event store is the default:"
            + " an introspection's event is not yet stored when the answer arrives")
    void batchingStoreIsTheDefault() {
        JsonNode created = org.createKey(Map.of("description", "batched"));
        int storedAtOnce = 0;
        for (int i = 1; i <= 5; i++) {
            int expected = i;
            org.introspect(created.get("key").asText());
            storedAtOnce += introspectionEventsOf(created.get("id").asText()).size() == expected ? 1 : 0;
            assertThat(Poll.until(Duration.ofSeconds(3), () -> introspectionEventsOf(created.get("id").asText()).size() == expected))
                    .isTrue();
        }
        // Keycloak's JPA store inserts in the request's transaction, committed before the answer:
        // it would be 5 of 5. Batched once a second, each one is there at once only by chance.
        assertThat(storedAtOnce).isLessThan(5);
    }

    @Test
    @DisplayName("given a refused introspection then its error event is stored at once")
    void errorEventAtOnce() {
        JsonNode created = org.createKey(Map.of("description", "revoked at once"));
        Http.delete(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken);

        assertThat(org.introspect(created.get("key").asText()).body()).isEqualTo("{\"active\":false}");

        JsonNode errors = admin.events(org.realm, "type=INTROSPECT_TOKEN_ERROR&max=100");
        assertThat(errors.findParents("details")).anySatisfy(e -> {
            assertThat(e.at("/details/api_key_id").asText()).isEqualTo(created.get("id").asText());
            assertThat(e.at("/details/source").asText()).isEqualTo("api-key");
        });
    }

    private JsonNode introspectionEventOf(String keyId) {
        List<JsonNode> events = introspectionEventsOf(keyId);
        return events.isEmpty() ? null : events.get(0);
    }

    private List<JsonNode> introspectionEventsOf(String keyId) {
        List<JsonNode> events = new java.util.ArrayList<>();
        for (JsonNode e : admin.events(org.realm, "type=INTROSPECT_TOKEN&max=50")) {
            if (keyId.equals(e.at("/details/api_key_id").asText())) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    @DisplayName("given create, rotate and revoke then user events with api_key_operation")
    void lifecycleEvents() {
        JsonNode created = org.createKey(Map.of("description", "audited"));
        JsonNode rotated = Http.postJson(org.keysUrl() + "/" + created.get("id").asText() + "/rotate", org.ownerToken, Map.of()).json();
        Http.delete(org.keysUrl() + "/" + rotated.get("id").asText(), org.ownerToken);

        JsonNode events = admin.events(org.realm, "max=200");
        assertThat(operation(events, "create", created.get("id").asText())).isNotNull();
        JsonNode rotate = operation(events, "rotate", rotated.get("id").asText());
        assertThat(rotate).isNotNull();
        assertThat(rotate.at("/details/rotated_from").asText()).isEqualTo(created.get("id").asText());
        assertThat(rotate.get("type").asText()).isEqualTo("UPDATE_CREDENTIAL");
        JsonNode revoke = operation(events, "revoke", rotated.get("id").asText());
        assertThat(revoke.get("type").asText()).isEqualTo("REMOVE_CREDENTIAL");
        assertThat(revoke.get("userId").asText()).isEqualTo(org.ownerId);
        assertThat(revoke.at("/details/organization_id").asText()).isEqualTo(org.orgId);
        assertThat(events.toString()).doesNotContain(created.get("key").asText(), rotated.get("key").asText());
    }

    private static JsonNode operation(JsonNode events, String operation, String keyId) {
        for (JsonNode e : events) {
            if (operation.equals(e.at("/details/api_key_operation").asText()) && keyId.equals(e.at("/details/api_key_id").asText())) {
                return e;
            }
        }
        return null;
    }
}
