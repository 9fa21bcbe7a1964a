package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract section 6: the admin REST resource for realm administrators, and the settings. */
@ExtendWith(KeycloakExtension.class)
class AdminApiIT {

    private final AdminClient admin;
    private OrgFixture org;

    AdminApiIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    private String keysUrl() {
        return admin.url(org.realm, "/api-keys");
    }

    /** A user of the realm holding the given realm-management roles, and its token. */
    private String realmAdminToken(String realm, String... roles) {
        String username = "ra-" + System.nanoTime();
        String userId = admin.createUser(realm, username, username + "@example.org", "pw", true);
        JsonNode management = admin.client(realm, "realm-management");
        for (String role : roles) {
            JsonNode rep = Http.get(admin.url(realm, "/clients/" + management.get("id").asText() + "/roles/" + role), admin.token()).json();
            Reply mapped = Http.postJson(admin.url(realm, "/users/" + userId + "/role-mappings/clients/" + management.get("id").asText()),
                    admin.token(), List.of(rep));
            assertThat(mapped.status()).as(mapped.toString()).isEqualTo(204);
        }
        return admin.userToken(realm, username, "pw");
    }

    @Nested
    @DisplayName("keys across the realm")
    class Keys {

        @Test
        @DisplayName("given keys in two organizations then the list has both, and ?organization= (id or alias) narrows it")
        void listsAndFilters() {
            OrgFixture other = OrgFixture.create(admin);
            JsonNode mine = org.createKey(Map.of("description", "mine"));
            JsonNode theirs = other.createKey(Map.of("description", "theirs"));

            JsonNode all = Http.get(keysUrl() + "?max=1000", admin.token()).json();
            assertThat(all.findValuesAsText("id")).contains(mine.get("id").asText(), theirs.get("id").asText());
            assertThat(all.toString()).doesNotContain(mine.get("key").asText());

            assertThat(Http.get(keysUrl() + "?organization=" + org.orgId, admin.token()).json().findValuesAsText("id"))
                    .containsExactly(mine.get("id").asText());
            assertThat(Http.get(keysUrl() + "?organization=" + other.alias, admin.token()).json().findValuesAsText("id"))
                    .containsExactly(theirs.get("id").asText());
            assertThat(Http.get(keysUrl() + "?organization=nope", admin.token()).status()).isEqualTo(404);
            assertThat(Http.get(keysUrl() + "?max=0", admin.token()).status()).isEqualTo(400);
            assertThat(Http.get(keysUrl() + "?max=1", admin.token()).json()).hasSize(1);
        }

        @Test
        @DisplayName("given a key id then GET answers the key object; unknown id 404")
        void getsOne() {
            JsonNode mine = org.createKey(Map.of("description", "mine"));
            Reply reply = Http.get(keysUrl() + "/" + mine.get("id").asText(), admin.token());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("organizationId").asText()).isEqualTo(org.orgId);
            assertThat(reply.json().has("key")).isFalse();
            assertThat(Http.get(keysUrl() + "/unknown", admin.token()).status()).isEqualTo(404);
        }

        @Test
        @DisplayName("given DELETE then the key is revoked like the organization's own DELETE, with a user and an admin event")
        void revokes() {
            JsonNode mine = org.createKey(Map.of("description", "admin-revoked"));
            String id = mine.get("id").asText();

            assertThat(Http.delete(keysUrl() + "/" + id, admin.token()).status()).isEqualTo(204);

            assertThat(org.isActive(mine.get("key").asText())).isFalse();
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).doesNotContain(id);
            assertThat(Http.delete(keysUrl() + "/" + id, admin.token()).status()).isEqualTo(404);
            JsonNode events = admin.events(org.realm, "type=REMOVE_CREDENTIAL&max=100");
            assertThat(events).anySatisfy(e -> {
                assertThat(e.at("/details/api_key_id").asText()).isEqualTo(id);
                assertThat(e.at("/details/api_key_operation").asText()).isEqualTo("revoke");
            });
            assertThat(admin.adminEvents(org.realm, "operationTypes=DELETE&max=100").toString()).contains("api-keys/" + id);
        }
    }

    @Nested
    @DisplayName("Keycloak's admin roles")
    class Roles {

        @Test
        @DisplayName("given view-users then reading works and revoking is 403; manage-users may revoke; no role 403")
        void rolesAreChecked() {
            JsonNode mine = org.createKey(Map.of("description", "guarded"));
            String id = mine.get("id").asText();
            String viewer = realmAdminToken(org.realm, "view-users");
            String manager = realmAdminToken(org.realm, "manage-users");
            String nobody = realmAdminToken(org.realm);

            assertThat(Http.get(keysUrl(), viewer).status()).isEqualTo(200);
            assertThat(Http.get(keysUrl() + "/" + id, viewer).status()).isEqualTo(200);
            assertThat(Http.delete(keysUrl() + "/" + id, viewer).status()).isEqualTo(403);
            assertThat(Http.get(keysUrl(), nobody).status()).isEqualTo(403);
            assertThat(Http.get(keysUrl(), null).status()).isEqualTo(401);
            assertThat(Http.get(keysUrl(), mine.get("key").asText()).status()).isEqualTo(401);
            assertThat(org.isActive(mine.get("key").asText())).isTrue();

            assertThat(Http.delete(keysUrl() + "/" + id, manager).status()).isEqualTo(204);
        }

        @Test
        @DisplayName("given view-users only then the settings are 403 to write")
        void settingsNeedRealmRoles() {
            String viewer = realmAdminToken(org.realm, "view-users");
            assertThat(Http.putJson(keysUrl() + "/settings", viewer, Map.of("ownersGroup", "X")).status()).isEqualTo(403);
        }
    }

    @Nested
    @DisplayName("settings")
    class Settings {

        private String realm;
        private OrgFixture local;

        @BeforeEach
        void freshRealm() {
            realm = "settings-" + System.nanoTime();
            admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true, "eventsEnabled", true));
            local = OrgFixture.create(admin, realm);
        }

        private String settingsUrl() {
            return admin.url(realm, "/api-keys/settings");
        }

        @Test
        @DisplayName("given no change then the defaults")
        void defaults() {
            JsonNode settings = Http.get(settingsUrl(), admin.token()).json();
            assertThat(settings.get("resources").toString()).isEqualTo(
                    "[\"agents\",\"conversations\",\"knowledge_bases\",\"tools\",\"integrations\",\"prompts\",\"assume_role\",\"webhooks\"]");
            assertThat(settings.get("ownersGroup").asText()).isEqualTo("Owners");
            assertThat(settings.get("assumeRoleLifetimeSeconds").asInt()).isEqualTo(7200);
            assertThat(settings.get("assumeRoleClient").asText()).isEqualTo("chat-widget");
        }

        @Test
        @DisplayName("given a new resource list then keys accept and show it, and grants on a removed resource come back with it")
        void resourcesRoundTrip() {
            JsonNode key = local.createKey(Map.of("description", "before", "permissions", grant("webhooks", true, false)));
            Reply put = Http.putJson(settingsUrl(), admin.token(), Map.of("resources", List.of("agents", "billing")));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(put.json().get("resources").toString()).isEqualTo("[\"agents\",\"billing\"]");

            JsonNode created = local.createKey(Map.of("description", "after", "permissions", grant("billing", false, true)));
            assertThat(created.get("permissions").fieldNames()).toIterable().containsExactly("agents", "billing");
            assertThat(Http.postJson(local.keysUrl(), local.ownerToken, Map.of("description", "x", "permissions", grant("webhooks", true, true)))
                    .status()).isEqualTo(400);

            Http.putJson(settingsUrl(), admin.token(), java.util.Collections.singletonMap("resources", null));
            JsonNode again = Http.get(local.keysUrl() + "/" + key.get("id").asText(), local.ownerToken).json();
            assertThat(again.at("/permissions/webhooks/read").asBoolean()).isTrue();
        }

        @Test
        @DisplayName("given a new assume-role lifetime then the next assume-role token lives that long")
        void lifetimeTakesEffect() throws Exception {
            String key = local.createKey(Map.of("description", "minter", "permissions", grant("assume_role", false, true))).get("key").asText();
            assertThat(Http.putJson(settingsUrl(), admin.token(), Map.of("assumeRoleLifetimeSeconds", 600)).status()).isEqualTo(200);

            Reply reply = Http.postJson(local.orgUrl() + "/assume-role", key, Map.of("userId", "u-1"));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            var claims = SignedJWT.parse(reply.json().get("token").asText()).getJWTClaimsSet();
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000L);
        }

        @Test
        @DisplayName("given an organization attribute override then only that organization's tokens follow it")
        void organizationOverride() throws Exception {
            OrgFixture plain = OrgFixture.create(admin, realm);
            String orgUrl = admin.url(realm, "/organizations/" + local.orgId);
            com.fasterxml.jackson.databind.node.ObjectNode rep = (com.fasterxml.jackson.databind.node.ObjectNode) Http.get(orgUrl, admin.token()).json();
            rep.putObject("attributes").putArray("intellia.api-keys.assume-role-lifetime").add("300");
            assertThat(Http.putJson(orgUrl, admin.token(), rep).status()).isEqualTo(204);

            assertThat(lifetime(local)).isEqualTo(300);
            assertThat(lifetime(plain)).isEqualTo(7200);
        }

        private long lifetime(OrgFixture fixture) throws Exception {
            String key = fixture.createKey(Map.of("description", "minter", "permissions", grant("assume_role", false, true))).get("key").asText();
            Reply reply = Http.postJson(fixture.orgUrl() + "/assume-role", key, Map.of("userId", "u-override"));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            var claims = SignedJWT.parse(reply.json().get("token").asText()).getJWTClaimsSet();
            return (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
        }

        @Test
        @DisplayName("given invalid settings then 400 and nothing changes")
        void invalid() {
            for (Object body : List.of(Map.of("resources", List.of()), Map.of("resources", List.of("Bad Name")),
                    Map.of("assumeRoleLifetimeSeconds", 5), Map.of("assumeRoleLifetimeSeconds", "600"),
                    Map.of("ownersGroup", ""), Map.of("ownersGroup", "a/b"), Map.of("unknown", 1),
                    Map.of("ownersGroup", "Fine", "assumeRoleLifetimeSeconds", -1))) {
                Reply reply = Http.putJson(settingsUrl(), admin.token(), body);
                assertThat(reply.status()).as(body.toString()).isEqualTo(400);
            }
            assertThat(Http.get(settingsUrl(), admin.token()).json().get("ownersGroup").asText()).isEqualTo("Owners");
            assertThat(admin.adminEvents(realm, "operationTypes=UPDATE").toString()).doesNotContain("api-keys/settings");
        }

        @Test
        @DisplayName("given the admin console's API keys tab saves the form then the settings change")
        void consoleTab() {
            Map<String, Object> component = Map.of(
                    "name", "API keys", "providerId", "API keys",
                    "providerType", "org.keycloak.services.ui.extend.UiTabProvider",
                    "parentId", Http.get(admin.url(realm, ""), admin.token()).json().get("id").asText(),
                    "config", Map.of("ownersGroup", List.of("Proprietors"), "assumeRoleLifetimeSeconds", List.of("900")));
            Reply created = Http.postJson(admin.url(realm, "/components"), admin.token(), component);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);

            JsonNode settings = Http.get(settingsUrl(), admin.token()).json();
            assertThat(settings.get("ownersGroup").asText()).isEqualTo("Proprietors");
            assertThat(settings.get("assumeRoleLifetimeSeconds").asInt()).isEqualTo(900);

            Http.putJson(settingsUrl(), admin.token(), Map.of("adminsGroup", "Stewards"));
            JsonNode components = Http.get(admin.url(realm, "/components?type=org.keycloak.services.ui.extend.UiTabProvider"), admin.token()).json();
            assertThat(components.findValuesAsText("providerId")).contains("API keys");
            assertThat(components.toString()).contains("Stewards");

            Map<String, Object> bad = new java.util.HashMap<>(component);
            bad.put("config", Map.of("assumeRoleLifetimeSeconds", List.of("nope")));
            assertThat(Http.postJson(admin.url(realm, "/components"), admin.token(), bad).status()).isEqualTo(400);
        }
    }
}
