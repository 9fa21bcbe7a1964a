package ai.intellia.keycloak.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import ai.intellia.keycloak.it.harness.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test harness itself: server, shipped realm export, admin helpers, restart. */
@ExtendWith(KeycloakExtension.class)
class HarnessIT {

    static final String REALM = "intellia";

    private final KeycloakServer server;
    private final AdminClient admin;

    HarnessIT(KeycloakServer server, AdminClient admin) {
        this.server = server;
        this.admin = admin;
    }

    @Test
    void realmIsImportedWithOrganizationsAndEvents() {
        JsonNode realm = admin.realm(REALM);
        assertThat(realm.path("organizationsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("eventsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("adminEventsDetailsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("enabledEventTypes").toString())
                .contains("INTROSPECT_TOKEN", "TOKEN_EXCHANGE", "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL");
        assertThat(admin.client(REALM, "chat-widget")).isNotNull();
        assertThat(admin.client(REALM, "intellia-api")).isNotNull();
    }

    @Test
    void exampleOrganizationHasTheDemoOwnerInOwners() {
        JsonNode acme = admin.organizationByAlias(REALM, "acme");
        assertThat(acme).isNotNull();
        String orgId = acme.get("id").asText();
        var groups = admin.organizationGroups(REALM, orgId);
        assertThat(groups).containsKeys("Owners", "Admins", "Default");

        String ownerId = admin.userId(REALM, "acme-owner");
        assertThat(admin.members(REALM, orgId).findValuesAsText("id")).contains(ownerId);
        assertThat(admin.organizationGroupMembers(REALM, orgId, groups.get("Owners")).findValuesAsText("id"))
                .containsExactly(ownerId);
    }

    @Test
    void demoOwnerGetsAToken() throws Exception {
        String token = admin.userToken(REALM, "intellia-portal", "owner@acme.example", "owner");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("acme-owner");
    }

    @Test
    void adminHelpersBuildAFreshOrganizationRealm() {
        String realm = "harness-" + System.nanoTime();
        admin.createRealm("{\"realm\": \"" + realm + "\", \"enabled\": true}");
        admin.enableOrganizations(realm);
        admin.updateRealm(realm, java.util.Map.of("eventsEnabled", true, "adminEventsEnabled", true));
        String orgId = admin.createOrganization(realm, "Org", "org", "org.example");
        String userId = admin.createUser(realm, "someone", "someone@org.example", "secret", true);
        admin.addMember(realm, orgId, userId);
        String admins = admin.organizationGroup(realm, orgId, "Admins");
        admin.addToOrganizationGroup(realm, orgId, admins, userId);

        assertThat(admin.organizationGroupMembers(realm, orgId, admins).findValuesAsText("id")).containsExactly(userId);
        assertThat(admin.userToken(realm, "someone", "secret")).isNotBlank();
        assertThat(admin.events(realm, "type=LOGIN").findValuesAsText("userId")).contains(userId);
        assertThat(admin.adminEvents(realm, "resourceTypes=ORGANIZATION_GROUP_MEMBERSHIP")).isNotEmpty();
    }

    @Test
    void restartKeepsTheData() {
        String realm = "restart-" + System.nanoTime();
        admin.createRealm("{\"realm\": \"" + realm + "\", \"enabled\": true}");

        server.restart();

        assertThat(Http.get(server.baseUrl() + "/realms/" + realm, null).status()).isEqualTo(200);
        assertThat(admin.realm(REALM).path("organizationsEnabled").asBoolean()).isTrue();
    }
}
