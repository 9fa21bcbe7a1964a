package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
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
        @DisplayName("given keys in two organizations then the realm-wide list has exactly both, newest first, and ?organization= (id or alias) narrows it")
        void listsAndFilters() {
            // A realm of its own: the realm-wide list then holds only this test's keys.
            String realm = "admin-list-" + System.nanoTime();
            admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true));
            OrgFixture mineOrg = OrgFixture.create(admin, realm);
            OrgFixture other = OrgFixture.create(admin, realm);
            String url = admin.url(realm, "/api-keys");
            JsonNode mine = mineOrg.createKey(Map.of("description", "mine"));
            Instant later = Instant.parse(mine.get("createdAt").asText()).plusSeconds(1);
            Poll.until(Duration.ofSeconds(3), () -> !Instant.now().isBefore(later.plusMillis(50))); // keys carry whole seconds
            JsonNode theirs = other.createKey(Map.of("description", "theirs"));

            try {
                assertRealmWideList(url, mineOrg, mine, other, theirs);
            } finally {
                admin.deleteRealm(realm);
            }
        }

        private void assertRealmWideList(String url, OrgFixture mineOrg, JsonNode mine, OrgFixture other, JsonNode theirs) {
            JsonNode all = Http.get(url, admin.token()).json();
            assertThat(all.findValuesAsText("id")).containsExactly(theirs.get("id").asText(), mine.get("id").asText());
            assertThat(all.toString()).doesNotContain(mine.get("key").asText(), theirs.get("key").asText(), "\"key\"");
            assertThat(Http.get(url + "?first=1&max=1", admin.token()).json().findValuesAsText("id")).containsExactly(mine.get("id").asText());

            assertThat(Http.get(url + "?organization=" + mineOrg.orgId, admin.token()).json().findValuesAsText("id"))
                    .containsExactly(mine.get("id").asText());
            assertThat(Http.get(url + "?organization=" + other.alias, admin.token()).json().findValuesAsText("id"))
                    .containsExactly(theirs.get("id").asText());
            Refusals.assertRefused(Http.get(url + "?organization=nope", admin.token()), 404, "organization_not_found");
            Refusals.assertRefused(Http.get(url + "?max=0", admin.token()), 400, "invalid_request");
        }

        @Test
        @DisplayName("given a key id then GET answers the key object; unknown id 404")
        void getsOne() {
            JsonNode mine = org.createKey(Map.of("description", "mine"));
            Reply reply = Http.get(keysUrl() + "/" + mine.get("id").asText(), admin.token());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("organizationId").asText()).isEqualTo(org.orgId);
            assertThat(reply.json().has("key")).isFalse();
            Refusals.assertRefused(Http.get(keysUrl() + "/unknown", admin.token()), 404, "api_key_not_found");
        }

        @Test
        @DisplayName("given DELETE then the key is revoked like the organization's own DELETE, with a user and an admin event")
        void revokes() {
            JsonNode mine = org.createKey(Map.of("description", "admin-revoked"));
            String id = mine.get("id").asText();

            assertThat(Http.delete(keysUrl() + "/" + id, admin.token()).status()).isEqualTo(204);

            assertThat(org.isActive(mine.get("key").asText())).isFalse();
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).doesNotContain(id);
            Refusals.assertRefused(Http.delete(keysUrl() + "/" + id, admin.token()), 404, "api_key_not_found");
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
            Refusals.assertRefused(Http.delete(keysUrl() + "/" + id, viewer), 403, "forbidden");
            Refusals.assertRefused(Http.get(keysUrl(), nobody), 403, "forbidden");
            Refusals.assertRefused(Http.get(keysUrl(), null), 401, "unauthorized");
            Refusals.assertRefused(Http.get(keysUrl(), mine.get("key").asText()), 401, "invalid_token");
            assertThat(org.isActive(mine.get("key").asText())).isTrue();

            assertThat(Http.delete(keysUrl() + "/" + id, manager).status()).isEqualTo(204);
        }

        @Test
        @DisplayName("given view-users only then the settings are 403 to write")
        void settingsNeedRealmRoles() {
            String viewer = realmAdminToken(org.realm, "view-users");
            Refusals.assertRefused(Http.putJson(keysUrl() + "/settings", viewer, Map.of("ownersGroup", "X")), 403, "forbidden");
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

        @AfterEach
        void removeRealm() {
            admin.deleteRealm(realm);
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
            Refusals.assertRefused(Http.postJson(local.keysUrl(), local.ownerToken,
                    Map.of("description", "x", "permissions", grant("webhooks", true, true))), 400, "invalid_request");

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
                Refusals.assertRefused(Http.putJson(settingsUrl(), admin.token(), body), 400, "invalid_request");
            }
            assertThat(Http.get(settingsUrl(), admin.token()).json().get("ownersGroup").asText()).isEqualTo("Owners");
            assertThat(admin.adminEvents(realm, "operationTypes=UPDATE").toString()).doesNotContain("api-keys/settings");
        }

        @Test
        @DisplayName("given a realm attribute out of bounds (a 5-second lifetime) then it is ignored like the PUT refuses it")
        void outOfBoundsAttributeIsIgnored() {
            admin.updateRealm(realm, Map.of("attributes", Map.of("intellia.api-keys.assume-role-lifetime", "5",
                    "intellia.api-keys.max-keys-per-organization", "1000001")));
            JsonNode settings = Http.get(settingsUrl(), admin.token()).json();
            assertThat(settings.get("assumeRoleLifetimeSeconds").asInt()).isEqualTo(7200);
            assertThat(settings.get("maxKeysPerOrganization").asInt()).isEqualTo(10_000);
            Refusals.assertRefused(Http.putJson(settingsUrl(), admin.token(), Map.of("assumeRoleLifetimeSeconds", 5)), 400, "invalid_request");
            Refusals.assertRefused(Http.putJson(settingsUrl(), admin.token(), Map.of("maxKeysPerOrganization", 1_000_001)), 400,
                    "invalid_request");
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
