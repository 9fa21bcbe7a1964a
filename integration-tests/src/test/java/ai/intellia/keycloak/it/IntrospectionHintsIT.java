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

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 4.1, RFC 7662 §2.1: the hint matrix. Every hint (none, access_token, refresh_token,
 * api_key) × every kind of token (key, Keycloak's own access token, assume-role JWT, key-exchange JWT).
 */
@ExtendWith(KeycloakExtension.class)
class IntrospectionHintsIT {

    private static final List<String> HINTS = Arrays.asList(null, "access_token", "refresh_token", "api_key");

    private final AdminClient admin;
    private OrgFixture org;
    private JsonNode created;
    private String key;

    IntrospectionHintsIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void keyWithPermissions() {
        org = OrgFixture.create(admin);
        created = org.createKey(Map.of("description", "matrix", "permissions",
                Map.of("agents", Map.of("read", true), "assume_role", Map.of("write", true))));
        key = created.get("key").asText();
    }

    private Reply introspect(String token, String hint) {
        Reply reply = Minted.introspect(admin, org.realm, token, hint);
        assertThat(reply.status()).as(hint + ": " + reply).isEqualTo(200);
        return reply;
    }

    @Test
    @DisplayName("given a key then every hint answers exactly what token_type_hint=api_key answers, with sub = its exchanged token's sub")
    void keyUnderEveryHint() {
        JsonNode expected = introspect(key, "api_key").json();
        assertThat(expected.get("active").asBoolean()).isTrue();
        String keyTokenSub = RealmJwt.verified(admin, org.realm, Minted.keyToken(admin, org, key)).get("sub").asText();
        assertThat(expected.get("sub").asText()).isEqualTo(keyTokenSub);
        for (String hint : HINTS) {
            JsonNode answer = introspect(key, hint).json();
            assertThat(answer).as("hint %s", hint).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("given a made-up key then every hint answers exactly {\"active\":false}")
    void madeUpKeyUnderEveryHint() {
        String fake = ForgedKeys.secretTypo(key);
        for (String hint : HINTS) {
            Refusals.assertInactive(introspect(fake, hint));
        }
    }

    @Test
    @DisplayName("given a key-exchange JWT then none, access_token and api_key give Keycloak's one answer (active, the key's claims)")
    void keyExchangeJwt() {
        String jwt = Minted.keyToken(admin, org, key);
        JsonNode expected = introspect(jwt, null).json();
        assertThat(expected.get("active").asBoolean()).as(expected.toString()).isTrue();
        assertThat(expected.get("api_key_id").asText()).isEqualTo(created.get("id").asText());
        assertThat(expected.get("token_type").asText()).isEqualTo("Bearer"); // Keycloak's answer, not ours
        assertThat(introspect(jwt, "access_token").json()).isEqualTo(expected);
        assertThat(introspect(jwt, "api_key").json()).isEqualTo(expected);
        assertThat(introspect(jwt, "refresh_token").json().path("token_type").asText()).isNotEqualTo("api_key");
    }

    @Test
    @DisplayName("given an assume-role JWT then none, access_token and api_key give Keycloak's one answer (active, sub = the end user)")
    void assumeRoleJwt() {
        String jwt = Minted.endUserToken(org, key, "matrix-user");
        JsonNode claims = RealmJwt.verified(admin, org.realm, jwt);
        JsonNode expected = introspect(jwt, null).json();
        assertThat(expected.get("active").asBoolean()).as(expected.toString()).isTrue();
        assertThat(expected.get("sub").asText()).isEqualTo(claims.get("sub").asText());
        assertThat(expected.at("/act/sub").asText()).isEqualTo(created.get("id").asText());
        assertThat(introspect(jwt, "access_token").json()).isEqualTo(expected);
        assertThat(introspect(jwt, "api_key").json()).isEqualTo(expected);
        JsonNode refresh = introspect(jwt, "refresh_token").json();
        assertThat(refresh.path("token_type").asText()).isNotEqualTo("api_key");
    }

    @Test
    @DisplayName("given Keycloak's own access tokens then none, access_token and api_key give one answer, never a key's")
    void keycloakTokens() {
        String peer = audiencePeer();
        Reply grant = Http.postForm(admin.tokenUrl(org.realm), null,
                Map.of("grant_type", "client_credentials", "client_id", peer, "client_secret", "peer-secret"));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        String serviceToken = grant.json().get("access_token").asText();
        for (String token : List.of(serviceToken, org.ownerToken)) {
            JsonNode expected = introspect(token, null).json();
            assertThat(expected.has("api_key_id")).isFalse();
            assertThat(introspect(token, "access_token").json()).isEqualTo(expected);
            assertThat(introspect(token, "api_key").json()).isEqualTo(expected);
            assertThat(introspect(token, "refresh_token").json().path("token_type").asText()).isNotEqualTo("api_key");
        }
        JsonNode service = introspect(serviceToken, null).json();
        assertThat(service.get("active").asBoolean()).as(service.toString()).isTrue();
        assertThat(service.get("client_id").asText()).isEqualTo(peer);
        // Keycloak checks the audience: the Owner's token is not meant for intellia-api
        Refusals.assertInactive(introspect(org.ownerToken, null));

        // …and records the same event whichever hint led to its provider
        String jti = RealmJwt.verified(admin, org.realm, serviceToken).get("jti").asText();
        List<JsonNode> events = new java.util.ArrayList<>();
        // successful introspections are stored in batches, once a second (issue 12)
        Poll.until(java.time.Duration.ofSeconds(3), () -> {
            events.clear();
            admin.events(org.realm, "type=INTROSPECT_TOKEN&max=200").forEach(e -> {
                if (jti.equals(e.at("/details/token_id").asText())) {
                    events.add(e);
                }
            });
            return events.size() >= 4;
        });
        assertThat(events).hasSizeGreaterThanOrEqualTo(4); // none, access_token, api_key, none (above)
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("details").has("source")).as(e.toString()).isFalse();
            assertThat(e.get("details")).as(e.toString()).isEqualTo(events.get(0).get("details"));
        });
    }

    @Test
    @DisplayName("given an unknown hint then Keycloak's own 400")
    void unknownHint() {
        Refusals.assertRefused(Minted.introspect(admin, org.realm, key, "id_token"), 400, "invalid_request");
    }

    /** A confidential client whose service-account tokens carry intellia-api in aud (so Keycloak answers active). */
    private String audiencePeer() {
        String clientId = "peer-" + org.alias;
        admin.createClient(org.realm, Map.of("clientId", clientId, "publicClient", false, "secret", "peer-secret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "protocolMappers", List.of(Map.of("name", "aud", "protocol", "openid-connect",
                        "protocolMapper", "oidc-audience-mapper",
                        "config", Map.of("included.client.audience", OrgFixture.RS_CLIENT, "access.token.claim", "true",
                                "introspection.token.claim", "true")))));
        return clientId;
    }
}
