package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract section 6, "settings never widen what an admin may grant": the attack that pointed
 * assume-role at {@code admin-cli} and a powerful role, through organization attributes (an admin
 * with only manage-organizations), the settings PUT (manage-realm only), realm attributes and the
 * admin-console tab, each refused or ignored.
 */
@ExtendWith(KeycloakExtension.class)
class SettingsPrivilegeIT {

    private static final String ORG_ATTR = "intellia.api-keys.";

    private final AdminClient admin;
    private String realm;
    private OrgFixture org;
    private String key;

    SettingsPrivilegeIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshRealmWithAPowerfulRole() {
        realm = "escalate-" + System.nanoTime();
        admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true, "eventsEnabled", true));
        org = OrgFixture.create(admin, realm);
        key = org.createKey("backend", grant("assume_role", false, true)).get("key").asText();
        createRole("plain-role");
        createRole("bundle");
        Reply bundled = Http.postJson(admin.url(realm, "/roles/bundle/composites"), admin.token(), List.of(clientRole("realm-admin")));
        assertThat(bundled.status()).as(bundled.toString()).isEqualTo(204);
    }

    // --- helpers -------------------------------------------------------------------------------

    private void createRole(String name) {
        Reply reply = Http.postJson(admin.url(realm, "/roles"), admin.token(), Map.of("name", name));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    private String realmManagementId() {
        return admin.client(realm, "realm-management").get("id").asText();
    }

    private JsonNode clientRole(String name) {
        return Http.get(admin.url(realm, "/clients/" + realmManagementId() + "/roles/" + name), admin.token()).json();
    }

    /** A realm admin of this realm holding only these realm-management roles; answers their token. */
    private String adminWith(String... roles) {
        String username = "adm-" + System.nanoTime();
        String id = admin.createUser(realm, username, username + "@admins.example", "pw", true);
        List<JsonNode> reps = new ArrayList<>();
        for (String role : roles) {
            reps.add(clientRole(role));
        }
        Reply mapped = Http.postJson(admin.url(realm, "/users/" + id + "/role-mappings/clients/" + realmManagementId()), admin.token(), reps);
        assertThat(mapped.status()).as(mapped.toString()).isEqualTo(204);
        return admin.userToken(realm, username, "pw");
    }

    private String settingsUrl() {
        return admin.url(realm, "/api-keys/settings");
    }

    private JsonNode settings() {
        return Http.get(settingsUrl(), admin.token()).json();
    }

    /** Assume-role with the key; answers the token's verified claims. */
    private JsonNode mint(String userId) {
        Reply reply = Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", userId));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return RealmJwt.verified(admin, realm, reply.json().get("token").asText());
    }

    private String mintedToken(String userId) {
        Reply reply = Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", userId));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("token").asText();
    }

    private void assertTheSafeDefaults(JsonNode claims) {
        assertThat(claims.get("azp").asText()).isEqualTo("chat-widget");
        assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("chat");
        assertThat(claims.has("resource_access") && claims.get("resource_access").has("realm-management")).isFalse();
        assertThat(RealmJwt.lifetime(claims)).isEqualTo(7200);
    }

    private void setOrganizationAttributes(String bearer, Map<String, String> attributes) {
        String orgUrl = admin.url(realm, "/organizations/" + org.orgId);
        ObjectNode rep = (ObjectNode) Http.get(orgUrl, admin.token()).json();
        ObjectNode attrs = rep.putObject("attributes");
        attributes.forEach((name, value) -> attrs.putArray(ORG_ATTR + name).add(value));
        Reply put = Http.putJson(orgUrl, bearer, rep);
        assertThat(put.status()).as(put.toString()).isEqualTo(204);
    }

    // --- the attack ----------------------------------------------------------------------------

    @Nested
    @DisplayName("organization attributes")
    class OrganizationAttributes {

        @Test
        @DisplayName("given a manage-organizations-only admin points client, role and groups elsewhere then the realm's values are used")
        void onlyLifetimeAndAudiencesOverride() {
            String orgAdmin = adminWith("manage-organizations", "view-users");
            setOrganizationAttributes(orgAdmin, Map.of("assume-role-client", "admin-cli", "assume-role-role", "bundle",
                    "owners-group", "Default", "assume-role-lifetime", "315360000"));

            String token = mintedToken("victim-" + System.nanoTime());

            assertTheSafeDefaults(RealmJwt.verified(admin, realm, token));
            assertThat(Http.get(admin.url(realm, "/users"), token).status()).isIn(401, 403);
            // owners-group=Default is ignored: an end user (in Default) cannot manage keys
            Refusals.assertRefused(Http.postJson(org.keysUrl(), token, Map.of("description", "mine", "permissions", grant("agents", true, true))),
                    403, "forbidden");
        }

        @Test
        @DisplayName("given an organization lifetime within 60..86400 then it applies; outside it the realm's")
        void lifetimeWithinBounds() {
            setOrganizationAttributes(admin.token(), Map.of("assume-role-lifetime", "300"));
            assertThat(RealmJwt.lifetime(mint("short-" + System.nanoTime()))).isEqualTo(300);
            setOrganizationAttributes(admin.token(), Map.of("assume-role-lifetime", "30"));
            assertThat(RealmJwt.lifetime(mint("tiny-" + System.nanoTime()))).isEqualTo(7200);
        }
    }

    @Nested
    @DisplayName("the settings PUT")
    class SettingsPut {

        @Test
        @DisplayName("given a manage-realm-only admin names admin-cli or a role they may not map then 403 and nothing changes")
        void writerNeedsTheRights() {
            String realmAdmin = adminWith("manage-realm", "view-realm");
            for (Map<String, Object> body : List.<Map<String, Object>>of(
                    Map.of("assumeRoleClient", "admin-cli", "assumeRoleRole", "bundle"),
                    Map.of("assumeRoleClient", "admin-cli"),
                    Map.of("assumeRoleRole", "plain-role"))) {
                Reply reply = Http.putJson(settingsUrl(), realmAdmin, body);
                Refusals.assertRefused(reply, 403, "forbidden");
            }
            assertThat(Http.putJson(settingsUrl(), realmAdmin, Map.of("assumeRoleLifetimeSeconds", 600)).status()).isEqualTo(200);
            assertThat(settings().get("assumeRoleClient").asText()).isEqualTo("chat-widget");
            assertThat(settings().get("assumeRoleRole").asText()).isEqualTo("chat");

            String token = mintedToken("after-put-" + System.nanoTime());
            assertThat(RealmJwt.verified(admin, realm, token).get("azp").asText()).isEqualTo("chat-widget");
            assertThat(Http.get(admin.url(realm, "/users"), token).status()).isIn(401, 403);
        }

        @Test
        @DisplayName("given a full admin names a full-scope or confidential client, a composite or the default-roles role then 400")
        void invalidShapesAreRefused() {
            Map<String, Object> confidential = new LinkedHashMap<>();
            confidential.put("clientId", "secret-widget");
            confidential.put("publicClient", false);
            confidential.put("fullScopeAllowed", false);
            admin.createClient(realm, confidential);
            for (Map<String, Object> body : List.<Map<String, Object>>of(
                    Map.of("assumeRoleClient", "admin-cli"),
                    Map.of("assumeRoleClient", "secret-widget"),
                    Map.of("assumeRoleRole", "bundle"),
                    Map.of("assumeRoleRole", "default-roles-" + realm),
                    Map.of("assumeRoleLifetimeSeconds", 59),
                    Map.of("ownersGroup", "Default"),
                    Map.of("maxKeysPerOrganization", 0))) {
                Reply reply = Http.putJson(settingsUrl(), admin.token(), body);
                Refusals.assertRefused(reply, 400, "invalid_request");
            }
            assertThat(settings().get("assumeRoleClient").asText()).isEqualTo("chat-widget");
            assertThat(settings().get("ownersGroup").asText()).isEqualTo("Owners");
        }

        @Test
        @DisplayName("given a full admin names a new client and an existing plain role then the client is created public, full scope off, scoped to it")
        void validChoiceTakesEffect() {
            Reply reply = Http.putJson(settingsUrl(), admin.token(), Map.of("assumeRoleClient", "support-widget", "assumeRoleRole", "plain-role"));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);

            JsonNode client = admin.client(realm, "support-widget");
            assertThat(client.get("publicClient").asBoolean()).isTrue();
            assertThat(client.get("fullScopeAllowed").asBoolean()).isFalse();
            JsonNode scope = Http.get(admin.url(realm, "/clients/" + client.get("id").asText() + "/scope-mappings/realm"), admin.token()).json();
            assertThat(scope.findValuesAsText("name")).containsExactly("plain-role");
            JsonNode claims = mint("support-" + System.nanoTime());
            assertThat(claims.get("azp").asText()).isEqualTo("support-widget");
            assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("plain-role");
        }
    }

    @Nested
    @DisplayName("realm attributes and the admin-console tab")
    class OtherWritePaths {

        @Test
        @DisplayName("given realm attributes written directly with admin-cli, a 5 s lifetime or a missing client for an existing role then ignored")
        void realmAttributesAreIgnoredWhenInvalid() {
            for (Map<String, String> attributes : List.of(
                    Map.of(ORG_ATTR + "assume-role-client", "admin-cli", ORG_ATTR + "assume-role-lifetime", "5"),
                    Map.of(ORG_ATTR + "assume-role-client", "sneaky-widget", ORG_ATTR + "assume-role-role", "plain-role"),
                    Map.of(ORG_ATTR + "assume-role-role", "bundle"))) {
                admin.updateRealm(realm, Map.of("attributes", attributes));
                assertThat(settings().get("assumeRoleClient").asText()).as(attributes.toString()).isEqualTo("chat-widget");
                assertThat(settings().get("assumeRoleLifetimeSeconds").asInt()).isEqualTo(7200);
                String token = mintedToken("attr-" + System.nanoTime());
                assertTheSafeDefaults(RealmJwt.verified(admin, realm, token));
                assertThat(Http.get(admin.url(realm, "/users"), token).status()).isIn(401, 403);
            }
            assertThat(admin.client(realm, "sneaky-widget")).isNull();
            // an ignored attribute does not block an unrelated change
            Reply lifetime = Http.putJson(settingsUrl(), admin.token(), Map.of("assumeRoleLifetimeSeconds", 900));
            assertThat(lifetime.status()).as(lifetime.toString()).isEqualTo(200);
            assertThat(RealmJwt.lifetime(mint("after-" + System.nanoTime()))).isEqualTo(900);
        }

        @Test
        @DisplayName("given the console tab saves admin-cli then 403 for a manage-realm-only admin and 400 for a full admin")
        void consoleTab() {
            Map<String, Object> component = Map.of(
                    "name", "API keys", "providerId", "API keys",
                    "providerType", "org.keycloak.services.ui.extend.UiTabProvider",
                    "parentId", admin.realm(realm).get("id").asText(),
                    "config", Map.of("assumeRoleClient", List.of("admin-cli"), "assumeRoleRole", List.of("bundle")));
            String realmAdmin = adminWith("manage-realm", "view-realm");

            Reply limited = Http.postJson(admin.url(realm, "/components"), realmAdmin, component);
            Reply full = Http.postJson(admin.url(realm, "/components"), admin.token(), component);

            assertThat(limited.status()).as(limited.toString()).isEqualTo(403);
            assertThat(full.status()).as(full.toString()).isEqualTo(400);
            assertThat(settings().get("assumeRoleClient").asText()).isEqualTo("chat-widget");
            assertTheSafeDefaults(mint("tab-" + System.nanoTime()));
        }
    }
}
