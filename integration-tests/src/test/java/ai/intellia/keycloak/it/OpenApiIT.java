package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/openapi.yaml} against the real server: every documented operation is called, and
 * each answer (successes and the refusals a client meets first) must be a documented status with
 * headers and a body that validate against the document. An undocumented field in an answer fails
 * (the key, settings and assume-role objects are closed).
 */
@ExtendWith(KeycloakExtension.class)
class OpenApiIT {

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    /** Operation → statuses seen, across the class; every operation must have been answered with a 2xx. */
    private static final Map<String, Set<Integer>> SEEN = new HashMap<>();

    private static final String ORGS = "GET /realms/{realm}/orgs";
    private static final String LIST = "GET /realms/{realm}/orgs/{org}/api-keys";
    private static final String CREATE = "POST /realms/{realm}/orgs/{org}/api-keys";
    private static final String GET = "GET /realms/{realm}/orgs/{org}/api-keys/{id}";
    private static final String REVOKE = "DELETE /realms/{realm}/orgs/{org}/api-keys/{id}";
    private static final String ROTATE = "POST /realms/{realm}/orgs/{org}/api-keys/{id}/rotate";
    private static final String ASSUME = "POST /realms/{realm}/orgs/{org}/assume-role";
    private static final String ADMIN_LIST = "GET /admin/realms/{realm}/api-keys";
    private static final String ADMIN_GET = "GET /admin/realms/{realm}/api-keys/{id}";
    private static final String ADMIN_REVOKE = "DELETE /admin/realms/{realm}/api-keys/{id}";
    private static final String SETTINGS = "GET /admin/realms/{realm}/api-keys/settings";
    private static final String UPDATE_SETTINGS = "PUT /admin/realms/{realm}/api-keys/settings";
    private static final String LEAK_REPORT = "POST /realms/{realm}/api-keys/leak-reports";

    private final AdminClient admin;
    private OrgFixture org;

    OpenApiIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    private static Reply checked(String operation, Reply reply) {
        DOCUMENT.check(operation, reply);
        synchronized (SEEN) {
            SEEN.computeIfAbsent(operation, o -> new TreeSet<>()).add(reply.status());
        }
        return reply;
    }

    private String adminKeys() {
        return admin.url(org.realm, "/api-keys");
    }

    @Test
    @DisplayName("the organization resource: list organizations, create, list, get, rotate, revoke, and their refusals")
    void organizationResource() {
        String orgs = admin.baseUrl() + "/realms/" + org.realm + "/orgs";
        assertThat(checked(ORGS, Http.get(orgs, org.ownerToken)).json().findValuesAsText("id")).contains(org.orgId);
        checked(ORGS, Http.get(orgs, null));

        Map<String, Object> body = Map.of("description", "OpenAPI", "permissions", grant("agents", true, false),
                "expiresAt", "2031-01-01T00:00:00Z");
        JsonNode created = checked(CREATE, Http.postJson(org.keysUrl(), org.ownerToken, body)).json();
        String id = created.get("id").asText();
        checked(CREATE, Http.postJson(org.keysUrl(), org.ownerToken, Map.of("description", "x", "colour", "red")));
        checked(CREATE, Http.send("POST", org.keysUrl(), org.ownerToken, "text/plain", "{}"));
        checked(CREATE, Http.postJson(org.keysUrl(), org.memberToken, body));
        checked(CREATE, Http.postJson(org.keysUrl(), "not-a-token", body));
        checked(CREATE, Http.postJson(admin.baseUrl() + "/realms/" + org.realm + "/orgs/no-such-org/api-keys", org.ownerToken, body));

        assertThat(checked(LIST, Http.get(org.keysUrl(), org.ownerToken)).json()).hasSize(1);
        checked(LIST, Http.get(org.keysUrl() + "?max=0", org.ownerToken));
        checked(GET, Http.get(org.keysUrl() + "/" + id, org.adminToken));
        checked(GET, Http.get(org.keysUrl() + "/no-such-key", org.ownerToken));

        JsonNode successor = checked(ROTATE, Http.postJson(org.keysUrl() + "/" + id + "/rotate", org.ownerToken,
                Map.of("gracePeriodSeconds", 3600))).json();
        JsonNode inGrace = checked(GET, Http.get(org.keysUrl() + "/" + id, org.ownerToken)).json();
        assertThat(inGrace.path("rotatedTo").asText()).isEqualTo(successor.get("id").asText());
        assertThat(successor.has("rotatedTo")).isFalse();
        checked(LIST, Http.get(org.keysUrl(), org.ownerToken));
        checked(ROTATE, Http.postJson(org.keysUrl() + "/" + id + "/rotate", org.ownerToken, Map.of()));
        checked(ROTATE, Http.postJson(org.keysUrl() + "/" + successor.get("id").asText() + "/rotate", org.ownerToken,
                Map.of("gracePeriodSeconds", -1)));

        checked(REVOKE, Http.delete(org.keysUrl() + "/" + successor.get("id").asText(), org.ownerToken));
        checked(REVOKE, Http.delete(org.keysUrl() + "/" + successor.get("id").asText(), org.ownerToken));
        checked(REVOKE, Http.delete(org.keysUrl() + "/" + id, org.memberToken));
    }

    @Test
    @DisplayName("assume-role: a token for an end user, and the refusals of a bad key, a missing permission and a bad body")
    void assumeRole() {
        String key = org.createKey("minting", grant("assume_role", false, true)).get("key").asText();
        String reader = org.createKey("reading", grant("agents", true, false)).get("key").asText();
        String url = org.orgUrl() + "/assume-role";
        Map<String, Object> body = Map.of("userId", "openapi-user", "userEmail", "openapi@example.com", "userName", "Open Api");

        JsonNode minted = checked(ASSUME, Http.postJson(url, key, body)).json();
        assertThat(minted.get("role").asText()).isEqualTo("chat");
        checked(ASSUME, Http.postJson(url, org.ownerToken, Map.of("userId", "openapi-user-2")));
        checked(ASSUME, Http.postJson(url, key, Map.of("userId", "")));
        checked(ASSUME, Http.postJson(url, reader, body));
        checked(ASSUME, Http.postJson(url, ForgedKeys.typo(key), body));
        checked(ASSUME, Http.postJson(url, null, body));
        checked(ASSUME, Http.send("POST", url, key, "application/x-www-form-urlencoded", "userId=x"));
        checked(ASSUME, Http.postJson(admin.baseUrl() + "/realms/" + org.realm + "/orgs/no-such-org/assume-role", key, body));
    }

    @Test
    @DisplayName("the admin resource: list, filter, get, revoke, and their refusals")
    void adminResource() {
        JsonNode created = org.createKey("admin view", grant("tools", true, true));
        String id = created.get("id").asText();

        assertThat(checked(ADMIN_LIST, Http.get(adminKeys() + "?organization=" + org.alias, admin.token())).json()
                .findValuesAsText("id")).containsExactly(id);
        checked(ADMIN_LIST, Http.get(adminKeys() + "?first=-1", admin.token()));
        checked(ADMIN_LIST, Http.get(adminKeys() + "?organization=no-such-org", admin.token()));
        checked(ADMIN_LIST, Http.get(adminKeys(), null));
        checked(ADMIN_LIST, Http.get(adminKeys(), org.ownerToken));

        checked(ADMIN_GET, Http.get(adminKeys() + "/" + id, admin.token()));
        checked(ADMIN_GET, Http.get(adminKeys() + "/no-such-key", admin.token()));
        checked(ADMIN_REVOKE, Http.delete(adminKeys() + "/" + id, admin.token()));
        checked(ADMIN_REVOKE, Http.delete(adminKeys() + "/" + id, admin.token()));
    }

    @Test
    @DisplayName("the admin settings: read, a partial update, a reset to the default, and a refused update")
    void settings() {
        String realm = "openapi-" + System.nanoTime();
        admin.createRealm(Map.of("realm", realm, "enabled", true));
        String url = admin.url(realm, "/api-keys/settings");

        JsonNode before = checked(SETTINGS, Http.get(url, admin.token())).json();
        JsonNode updated = checked(UPDATE_SETTINGS, Http.putJson(url, admin.token(), Map.of("assumeRoleLifetimeSeconds", 600))).json();
        assertThat(updated.get("assumeRoleLifetimeSeconds").asInt()).isEqualTo(600);
        Map<String, Object> reset = new HashMap<>();
        reset.put("assumeRoleLifetimeSeconds", null);
        assertThat(checked(UPDATE_SETTINGS, Http.putJson(url, admin.token(), reset)).json()).isEqualTo(before);
        checked(UPDATE_SETTINGS, Http.putJson(url, admin.token(), Map.of("assumeRoleLifetimeSeconds", 5)));
        checked(UPDATE_SETTINGS, Http.putJson(url, admin.token(), Map.of("colour", "red")));
        checked(SETTINGS, Http.get(url, null));
    }

    @Test
    @DisplayName("leak reports: a signed report, an unsigned one and a signed malformed one")
    void leakReports() {
        Scanner scanner = new Scanner();
        String settings = admin.url(org.realm, "/api-keys/settings");
        String url = admin.baseUrl() + "/realms/" + org.realm + "/api-keys/leak-reports";
        checked(UPDATE_SETTINGS, Http.putJson(settings, admin.token(), Map.of("leakReportPublicKeys", Map.of("openapi", scanner.pem()))));
        try {
            String key = org.createKey("leaked", grant("agents", true, false)).get("key").asText();
            String body = "[{\"token\":\"" + key + "\",\"type\":\"intellia_api_key\",\"url\":\"https://example.com\",\"source\":\"content\"},"
                    + "{\"token\":\"ik_nothing\"}]";
            JsonNode labels = checked(LEAK_REPORT, Scanner.post(url, body, "openapi", scanner.sign(body))).json();
            assertThat(labels.findValuesAsText("label")).containsExactly("true_positive", "false_positive");
            checked(LEAK_REPORT, Scanner.post(url, body, null, null));
            checked(LEAK_REPORT, Scanner.post(url, "[", "openapi", scanner.sign("[")));
            checked(UPDATE_SETTINGS, Http.putJson(settings, admin.token(), Map.of("maxKeyLifetimeDays", 0)));
        } finally {
            Map<String, Object> reset = new HashMap<>();
            reset.put("leakReportPublicKeys", null);
            checked(UPDATE_SETTINGS, Http.putJson(settings, admin.token(), reset));
        }
    }

    @AfterAll
    static void everyOperationAnsweredSuccessfully() {
        Set<String> unanswered = new TreeSet<>(DOCUMENT.operations());
        synchronized (SEEN) {
            SEEN.forEach((operation, statuses) -> {
                if (statuses.stream().anyMatch(s -> s >= 200 && s < 300)) {
                    unanswered.remove(operation);
                }
            });
        }
        assertThat(unanswered).as("documented operations no test called successfully").isEmpty();
    }
}
