package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.KeycloakServer.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract section 1: the realm a deployment imports ({@code realm-export/intellia-realm.json}) is
 * safe in production mode; the demo realm ({@code realm-export/demo/}) is the same plus demo data
 * and keeps its protections. Reads the files only (no server).
 */
class RealmExportIT {

    private static final String PRODUCTION = "realm-export/intellia-realm.json";
    private static final String DEMO = "realm-export/demo/intellia-realm.json";
    /** What themes/org-admin/app.js sends as redirect_uri, relative to the portal's rootUrl ${authBaseUrl}. */
    private static final String PAGE = "/realms/intellia/api-keys-console/";

    private static JsonNode read(String file) throws IOException {
        return Http.JSON.readTree(Files.readString(Settings.repoRoot().resolve(file)));
    }

    private static List<JsonNode> clients(JsonNode realm) {
        return StreamSupport.stream(realm.path("clients").spliterator(), false).toList();
    }

    private static JsonNode client(JsonNode realm, String clientId) {
        return clients(realm).stream().filter(c -> clientId.equals(c.path("clientId").asText())).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("given the production realm then no demo users or organizations, no fixed secret, no password grant")
    void productionHasNoDemoData() throws IOException {
        JsonNode realm = read(PRODUCTION);
        assertThat(realm.path("users")).isEmpty();
        assertThat(realm.path("organizations")).isEmpty();
        for (JsonNode client : clients(realm)) {
            assertThat(client.has("secret")).as(client.path("clientId").asText() + " has a fixed secret").isFalse();
            assertThat(client.path("directAccessGrantsEnabled").asBoolean(true))
                    .as(client.path("clientId").asText() + " allows the password grant").isFalse();
            assertThat(client.path("implicitFlowEnabled").asBoolean(false)).isFalse();
        }
        assertThat(client(realm, "intellia-api").path("publicClient").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {PRODUCTION, DEMO})
    @DisplayName("given either realm then brute-force detection on and exact redirect URIs (the org-admin page's own)")
    void protections(String file) throws IOException {
        JsonNode realm = read(file);
        assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
        assertThat(realm.path("permanentLockout").asBoolean(false)).isFalse(); // temporary lockout: no denial of service by lockout
        List<String> redirects = new ArrayList<>();
        clients(realm).forEach(c -> c.path("redirectUris").forEach(u -> redirects.add(u.asText())));
        assertThat(redirects).allSatisfy(uri -> assertThat(uri).doesNotContain("*"));
        assertThat(client(realm, "intellia-portal").path("redirectUris")).extracting(JsonNode::asText).containsExactly(PAGE);
        assertThat(client(realm, "intellia-portal").path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
    }

    @ParameterizedTest
    @ValueSource(strings = {PRODUCTION, DEMO})
    @DisplayName("given either realm then organizations on, events and admin events stored with details, chat role, chat-widget and intellia-api")
    void whatTheExtensionNeeds(String file) throws IOException {
        JsonNode realm = read(file);
        assertThat(realm.path("realm").asText()).isEqualTo("intellia");
        assertThat(realm.path("organizationsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("eventsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("adminEventsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("adminEventsDetailsEnabled").asBoolean()).isTrue();
        assertThat(realm.path("enabledEventTypes")).extracting(JsonNode::asText).contains(
                "INTROSPECT_TOKEN", "INTROSPECT_TOKEN_ERROR", "TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR",
                "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL");
        assertThat(realm.at("/roles/realm").findValuesAsText("name")).contains("chat");
        JsonNode chat = client(realm, "chat-widget");
        assertThat(chat.path("publicClient").asBoolean()).isTrue();
        assertThat(chat.path("fullScopeAllowed").asBoolean(true)).isFalse();
        assertThat(realm.path("scopeMappings").toString()).contains("\"client\":\"chat-widget\"").contains("\"chat\"");
    }

    @Test
    @DisplayName("given the demo realm then the production realm plus acme, its Owner, the demo secret and the portal's password grant")
    void demoIsProductionPlusDemoData() throws IOException {
        JsonNode demo = read(DEMO);
        assertThat(demo.path("organizations").findValuesAsText("alias")).containsExactly("acme");
        assertThat(demo.path("users").findValuesAsText("email")).containsExactly("owner@acme.example");
        assertThat(client(demo, "intellia-api").path("secret").asText()).isEqualTo("intellia-api-secret");
        assertThat(client(demo, "intellia-portal").path("directAccessGrantsEnabled").asBoolean()).isTrue();

        JsonNode production = read(PRODUCTION);
        com.fasterxml.jackson.databind.node.ObjectNode stripped = demo.deepCopy();
        stripped.remove(List.of("users", "organizations"));
        for (JsonNode client : stripped.path("clients")) {
            var c = (com.fasterxml.jackson.databind.node.ObjectNode) client;
            c.remove(List.of("secret", "description"));
            if ("intellia-portal".equals(c.path("clientId").asText())) {
                c.put("directAccessGrantsEnabled", false);
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode expected = production.deepCopy();
        expected.path("clients").forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("description"));
        assertThat(stripped).as("the demo realm drifted from the production realm").isEqualTo(expected);
    }

    @Test
    @DisplayName("given the harness then it imports the demo folder, and docker-compose mounts only the production realm")
    void whoImportsWhich() throws IOException {
        assertThat(Settings.realmImportDir()).isEqualTo(Settings.repoRoot().resolve("realm-export/demo"));
        String compose = Files.readAllLines(Settings.repoRoot().resolve("docker-compose.yml")).stream()
                .filter(line -> !line.strip().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        assertThat(compose).contains("./realm-export/intellia-realm.json:/opt/keycloak/data/import/intellia-realm.json:ro")
                .doesNotContain("- ./realm-export:").doesNotContain("realm-export/demo");
    }
}
