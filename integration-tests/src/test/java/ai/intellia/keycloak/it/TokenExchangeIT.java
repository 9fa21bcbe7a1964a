package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Contract 4.2 (and 4.3): RFC 8693 exchange of an API key at Keycloak's own token endpoint. */
@ExtendWith(KeycloakExtension.class)
class TokenExchangeIT {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String API_KEY_TYPE = "urn:intellia:params:oauth:token-type:api-key";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** Our own descriptions: an answer carrying one of them came from our provider. */
    static final List<String> OUR_DESCRIPTIONS = List.of("Invalid subject_token.", "A public client cannot exchange API keys");

    private final AdminClient admin;
    private OrgFixture org;
    private JsonNode created;
    private String key;

    TokenExchangeIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganizationWithAKey() {
        org = OrgFixture.create(admin);
        Map<String, Object> permissions = new LinkedHashMap<>();
        permissions.put("agents", Map.of("read", true));
        permissions.put("tools", Map.of("read", true, "write", true));
        permissions.put("assume_role", Map.of("write", true));
        created = org.createKey(Map.of("description", "exchanger", "permissions", permissions));
        key = created.get("key").asText();
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The exchange form as the confidential client intellia-api, plus {@code extra} (null values drop a field). */
    private Reply exchange(String subjectToken, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", API_KEY_TYPE);
        form.put("client_id", OrgFixture.RS_CLIENT);
        form.put("client_secret", OrgFixture.RS_SECRET);
        extra.forEach((name, value) -> {
            if (value == null) {
                form.remove(name);
            } else {
                form.put(name, value);
            }
        });
        return Http.postForm(admin.tokenUrl(org.realm), null, form);
    }

    private Reply exchange(String subjectToken) {
        return exchange(subjectToken, Map.of());
    }

    /** The claims of the access token of a 200 exchange answer. */
    private JsonNode exchanged(String subjectToken, Map<String, String> extra) {
        Reply reply = exchange(subjectToken, extra);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return RealmJwt.verified(admin, org.realm, reply.json().get("access_token").asText());
    }

    private static Map<String, String> subject(String userId, String email, String name) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("requested_subject", userId);
        if (email != null) {
            extra.put("user_email", email);
        }
        if (name != null) {
            extra.put("user_name", name);
        }
        return extra;
    }

    private static void assertOAuthError(Reply reply, int status, String error) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().get("error").asText()).as(reply.toString()).isEqualTo(error);
        assertThat(reply.json().has("access_token")).isFalse();
    }

    // --- tests ---------------------------------------------------------------------------------

    @Nested
    @DisplayName("without requested_subject: a token for the key")
    class KeyToken {

        @Test
        @DisplayName("given a live key then 200 with an RFC 8693 answer")
        void rfc8693Answer() {
            Reply reply = exchange(key);

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode json = reply.json();
            assertThat(json.get("access_token").asText()).startsWith("eyJ");
            assertThat(json.get("issued_token_type").asText()).isEqualTo(ACCESS_TOKEN_TYPE);
            assertThat(json.get("token_type").asText()).isEqualToIgnoringCase("Bearer");
            assertThat(json.get("expires_in").asLong()).isPositive().isLessThanOrEqualTo(3600);
        }

        @Test
        @DisplayName("given the token then the realm signed it and it says source=api-key, api_key_id, organization_id, azp")
        void claims() {
            JsonNode claims = exchanged(key, Map.of());

            assertThat(claims.get("iss").asText()).isEqualTo(RealmJwt.issuer(admin, org.realm));
            assertThat(claims.get("source").asText()).isEqualTo("api-key");
            assertThat(claims.get("api_key_id").asText()).isEqualTo(created.get("id").asText());
            assertThat(claims.get("organization_id").asText()).isEqualTo(org.orgId);
            assertThat(claims.get("azp").asText()).isEqualTo(OrgFixture.RS_CLIENT);
        }

        @Test
        @DisplayName("given another confidential client of the realm then azp is that client")
        void azpIsTheCaller() {
            String clientId = "backend-" + System.nanoTime();
            admin.createClient(org.realm, Map.of("clientId", clientId, "publicClient", false, "secret", "s3cret",
                    "serviceAccountsEnabled", true, "standardFlowEnabled", false));

            JsonNode claims = exchanged(key, Map.of("client_id", clientId, "client_secret", "s3cret"));

            assertThat(claims.get("azp").asText()).isEqualTo(clientId);
            assertThat(claims.get("api_key_id").asText()).isEqualTo(created.get("id").asText());
        }

        @Test
        @DisplayName("given the token then scope has every granted resource:flag and no other")
        void scopeIsTheGrant() {
            JsonNode claims = exchanged(key, Map.of());

            List<String> permissionScopes = new ArrayList<>();
            for (String scope : RealmJwt.scopes(claims)) {
                String resource = scope.contains(":") ? scope.substring(0, scope.indexOf(':')) : "";
                if (ApiKeysIT.RESOURCES.contains(resource)) {
                    permissionScopes.add(scope);
                }
            }
            assertThat(permissionScopes).containsExactlyInAnyOrder("agents:read", "tools:read", "tools:write", "assume_role:write");
        }

        @Test
        @DisplayName("given the answer then its scope is the token's scope, grants included")
        void answerScopeMatchesToken() {
            Reply reply = exchange(key);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode claims = RealmJwt.verified(admin, org.realm, reply.json().get("access_token").asText());
            assertThat(reply.json().get("scope").asText()).isEqualTo(claims.get("scope").asText()).contains("agents:read");
        }

        @Test
        @DisplayName("given the token then it lives min(realm access-token lifespan, 3600) seconds")
        void lifetime() {
            int realmLifespan = admin.realm(org.realm).path("accessTokenLifespan").asInt(300);
            Reply reply = exchange(key);
            JsonNode claims = RealmJwt.verified(admin, org.realm, reply.json().get("access_token").asText());

            assertThat(RealmJwt.lifetime(claims)).isEqualTo(Math.min(realmLifespan, 3600));
            assertThat(reply.json().get("expires_in").asLong()).isBetween(RealmJwt.lifetime(claims) - 5, RealmJwt.lifetime(claims));
        }

        @Test
        @DisplayName("given two exchanges of the same key then the same sub")
        void stableSubject() {
            String first = exchanged(key, Map.of()).get("sub").asText();
            String second = exchanged(key, Map.of()).get("sub").asText();
            assertThat(first).isNotBlank().isEqualTo(second);
        }

        @Test
        @DisplayName("given a key without assume_role.write then it still gets a token for itself")
        void anyKeyMayExchange() {
            String reader = org.createKey("reader", OrgFixture.grant("agents", true, false)).get("key").asText();
            JsonNode claims = exchanged(reader, Map.of());
            assertThat(RealmJwt.scopes(claims)).contains("agents:read").doesNotContain("assume_role:write");
        }
    }

    @Nested
    @DisplayName("with requested_subject: the assume-role token of section 5")
    class RequestedSubject {

        @Test
        @DisplayName("given a userId then an end-user token: azp chat-widget, roles [chat], act.sub = key id, 7200 s")
        void endUserToken() {
            String userId = "exchanged-" + System.nanoTime();
            Reply reply = exchange(key, subject(userId, "end.user@customer.example", "End User"));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("issued_token_type").asText()).isEqualTo(ACCESS_TOKEN_TYPE);
            assertThat(reply.json().get("token_type").asText()).isEqualToIgnoringCase("Bearer");
            JsonNode claims = RealmJwt.verified(admin, org.realm, reply.json().get("access_token").asText());
            assertThat(claims.get("azp").asText()).isEqualTo("chat-widget");
            assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("chat");
            assertThat(claims.path("resource_access").has("realm-management")).isFalse();
            assertThat(claims.at("/act/sub").asText()).isEqualTo(created.get("id").asText());
            assertThat(claims.get("user_id").asText()).isEqualTo(userId);
            assertThat(claims.get("organization_id").asText()).isEqualTo(org.orgId);
            assertThat(claims.get("email").asText()).isEqualTo("end.user@customer.example");
            assertThat(claims.get("name").asText()).isEqualTo("End User");
            assertThat(RealmJwt.scopes(claims)).contains("openid");
            assertThat(RealmJwt.audiences(claims)).contains(OrgFixture.RS_CLIENT);
            assertThat(RealmJwt.lifetime(claims)).isEqualTo(7200);
        }

        @Test
        @DisplayName("given the same userId as a REST assume-role call then the same sub")
        void sameUserAsRest() {
            String userId = "both-ways-" + System.nanoTime();
            Reply rest = Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", userId));
            assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
            String restSub = RealmJwt.verified(admin, org.realm, rest.json().get("token").asText()).get("sub").asText();

            JsonNode claims = exchanged(key, subject(userId, null, null));

            assertThat(claims.get("sub").asText()).isEqualTo(restSub);
        }

        @Test
        @DisplayName("given a key lacking assume_role.write then 403 access_denied")
        void keyWithoutPermission() {
            String reader = org.createKey("reader", OrgFixture.grant("agents", true, false)).get("key").asText();
            assertOAuthError(exchange(reader, subject("denied-" + System.nanoTime(), null, null)), 403, "access_denied");
        }

        @Test
        @DisplayName("given invalid user fields (also control characters, which Keycloak strips from forms) then 400 invalid_request, no user")
        void invalidUserFields() {
            String marker = "invalid-" + System.nanoTime();
            assertOAuthError(exchange(key, subject(marker, "not-an-email", null)), 400, "invalid_request");
            assertOAuthError(exchange(key, subject("u".repeat(256), null, null)), 400, "invalid_request");
            assertOAuthError(exchange(key, subject(marker + "\u0001", null, null)), 400, "invalid_request");
            assertOAuthError(exchange(key, subject(marker, null, "n".repeat(256))), 400, "invalid_request");
            assertOAuthError(exchange(key, subject(marker, null, "John\u0007Doe")), 400, "invalid_request");
            Reply users = Http.get(admin.url(org.realm, "/users?q=" + Http.encode("intellia.user-id:" + marker)), admin.token());
            assertThat(users.json()).isEmpty();
        }
    }

    @Nested
    @DisplayName("refusals")
    class Refusals {

        @Test
        @DisplayName("given a malformed, unknown, revoked or expired key then the same 400 invalid_request")
        void badKeysLookAlike() {
            String unknown = ForgedKeys.withSecret(key, "A".repeat(43));
            JsonNode revoked = org.createKey(Map.of("description", "revoked"));
            assertThat(Http.delete(org.keysUrl() + "/" + revoked.get("id").asText(), org.ownerToken).status()).isEqualTo(204);
            String expiring = org.createKey(Map.of("description", "expiring", "expiresAt", Instant.now().plusSeconds(2).toString()))
                    .get("key").asText();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !org.isActive(expiring))).isTrue();

            List<String> bodies = new ArrayList<>();
            for (String bad : List.of("ik_not-a-key", unknown, revoked.get("key").asText(), expiring)) {
                Reply reply = exchange(bad);
                assertOAuthError(reply, 400, "invalid_request");
                bodies.add(reply.body());
            }
            assertThat(bodies).allSatisfy(b -> assertThat(b).isEqualTo(bodies.get(0)));
            assertThat(exchange(revoked.get("key").asText(), subject("u", null, null)).body()).isEqualTo(bodies.get(0));
        }

        @Test
        @DisplayName("given a public client then 400/401 unauthorized_client or invalid_client and no token")
        void publicClientRefused() {
            for (String publicClient : List.of("chat-widget", AdminClient.TEST_CLIENT)) {
                Map<String, String> asPublic = new LinkedHashMap<>();
                asPublic.put("client_id", publicClient);
                asPublic.put("client_secret", null);
                Reply reply = exchange(key, asPublic);
                assertThat(reply.status()).as(publicClient + ": " + reply).isIn(400, 401);
                assertThat(reply.json().get("error").asText()).as(publicClient + ": " + reply).isIn("unauthorized_client", "invalid_client");
                assertThat(reply.json().has("access_token")).isFalse();
            }
        }

        @Test
        @DisplayName("given a wrong client secret then 401 (Keycloak's unauthorized_client or invalid_client) and no token")
        void wrongClientSecret() {
            Reply reply = exchange(key, Map.of("client_secret", "wrong"));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
            assertThat(reply.json().get("error").asText()).isIn("unauthorized_client", "invalid_client");
            assertThat(reply.json().has("access_token")).isFalse();
        }

        @Test
        @DisplayName("given a Keycloak access token with subject_token_type access_token then Keycloak's own exchange answers, not ours")
        void standardExchangeUntouched() {
            Map<String, String> standard = new LinkedHashMap<>();
            standard.put("subject_token_type", ACCESS_TOKEN_TYPE);
            Reply reply = exchange(org.ownerToken, standard);

            assertThat(reply.body()).doesNotContain(OUR_DESCRIPTIONS);
            if (reply.status() == 200) {
                JsonNode claims = RealmJwt.verified(admin, org.realm, reply.json().get("access_token").asText());
                assertThat(claims.has("source")).isFalse();
                assertThat(claims.has("api_key_id")).isFalse();
            }
        }
    }

    @Nested
    @DisplayName("events (4.3)")
    class Events {

        @Test
        @DisplayName("given an exchange then a TOKEN_EXCHANGE event with source=api-key, api_key_id and organization_id")
        void successEvent() {
            exchanged(key, Map.of());

            assertThat(Poll.until(Duration.ofSeconds(5), () -> hasEvent("TOKEN_EXCHANGE", created.get("id").asText()))).isTrue();
            assertThat(admin.events(org.realm, "type=TOKEN_EXCHANGE&max=100").toString()).doesNotContain(key);
        }

        @Test
        @DisplayName("given an expired key then a TOKEN_EXCHANGE_ERROR event that names it")
        void refusalEvent() {
            JsonNode expiring = org.createKey(Map.of("description", "expiring", "expiresAt", Instant.now().plusSeconds(2).toString()));
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !org.isActive(expiring.get("key").asText()))).isTrue();

            assertOAuthError(exchange(expiring.get("key").asText()), 400, "invalid_request");

            assertThat(Poll.until(Duration.ofSeconds(5), () -> hasEvent("TOKEN_EXCHANGE_ERROR", expiring.get("id").asText()))).isTrue();
        }

        private boolean hasEvent(String type, String keyId) {
            return admin.events(org.realm, "type=" + type + "&max=100").findParents("details").stream().anyMatch(e ->
                    keyId.equals(e.at("/details/api_key_id").asText())
                            && "api-key".equals(e.at("/details/source").asText())
                            && org.orgId.equals(e.at("/details/organization_id").asText()));
        }
    }
}
