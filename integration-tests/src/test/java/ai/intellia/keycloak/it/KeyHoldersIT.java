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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An organization's keys spread over several key holder users (issue 12: a write reloads one
 * holder of a few keys, not all keys of the organization). The tests' server keeps 3 keys per
 * holder ({@code keycloak.keys-per-holder} in the POM), so 8 keys live in holders 0, 1 and 2.
 * Holder 0 is the one holder every organization had before: its id is derived from the
 * organization id exactly as then, so keys issued before the change are where they were.
 */
@ExtendWith(KeycloakExtension.class)
class KeyHoldersIT {

    private static final int KEYS = 8;

    private final AdminClient admin;
    private OrgFixture org;
    private final List<JsonNode> created = new ArrayList<>();

    KeyHoldersIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void eightKeys() {
        org = OrgFixture.create(admin);
        for (int i = 0; i < KEYS; i++) {
            created.add(org.createKey("key " + i, grant("agents", true, false)));
        }
    }

    /** The id the one key holder of an organization has had since the first release. */
    private String firstHolderId() {
        return UUID.nameUUIDFromBytes(("intellia-api-key-holder:" + org.orgId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private JsonNode holderUsers() {
        Reply reply = Http.get(admin.url(org.realm, "/users?max=100&q=" + Http.encode("intellia.api-key-holder-of:" + org.orgId)), admin.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private int keyCredentials(String userId) {
        Reply reply = Http.get(admin.url(org.realm, "/users/" + userId + "/credentials"), admin.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        int n = 0;
        for (JsonNode credential : reply.json()) {
            n += credential.path("type").asText().equals("api-key") ? 1 : 0;
        }
        return n;
    }

    @Test
    @DisplayName("8 keys live in 3 holders; the first is the holder every organization had before, with the first 3 keys")
    void keysAreSpreadOverHolders() {
        JsonNode holders = holderUsers();
        assertThat(holders).hasSize(3);
        Set<String> ids = new HashSet<>();
        int keys = 0;
        for (JsonNode holder : holders) {
            ids.add(holder.get("id").asText());
            keys += keyCredentials(holder.get("id").asText());
        }
        assertThat(ids).contains(firstHolderId());
        assertThat(keys).isEqualTo(KEYS);
        assertThat(keyCredentials(firstHolderId())).isEqualTo(3);
    }

    @Test
    @DisplayName("every key verifies; revoking one in the first holder and one in the newest stops exactly those, at once")
    void revocationAcrossHolders() {
        for (JsonNode key : created) {
            assertThat(org.isActive(key.get("key").asText())).as(key.get("description").asText()).isTrue();
        }
        JsonNode old = created.get(0);
        JsonNode newest = created.get(KEYS - 1);
        for (JsonNode key : List.of(old, newest)) {
            Reply revoked = Http.delete(org.keysUrl() + "/" + key.get("id").asText(), org.ownerToken);
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        }
        for (JsonNode key : created) {
            boolean gone = key == old || key == newest;
            assertThat(org.isActive(key.get("key").asText())).as(key.get("description").asText()).isEqualTo(!gone);
        }
    }

    @Test
    @DisplayName("the list is newest first across holders, and its pages cover every key exactly once")
    void listAcrossHolders() {
        List<String> listed = new ArrayList<>();
        Instant previous = Instant.MAX;
        for (int first = 0; first < KEYS + 3; first += 3) {
            Reply page = Http.get(org.keysUrl() + "?first=" + first + "&max=3", org.ownerToken);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonNode key : page.json()) {
                Instant createdAt = Instant.parse(key.get("createdAt").asText());
                assertThat(createdAt).isBeforeOrEqualTo(previous);
                previous = createdAt;
                listed.add(key.get("id").asText());
            }
        }
        assertThat(listed).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(created.stream().map(k -> k.get("id").asText()).toList());
    }

    @Test
    @DisplayName("get, rotate and the admin REST find a key in any holder by its id alone")
    void byIdInAnyHolder() {
        for (JsonNode key : List.of(created.get(1), created.get(4), created.get(7))) {
            String id = key.get("id").asText();
            Reply get = Http.get(org.keysUrl() + "/" + id, org.ownerToken);
            assertThat(get.status()).as(get.toString()).isEqualTo(200);
            Reply adminGet = Http.get(admin.url(org.realm, "/api-keys/" + id), admin.token());
            assertThat(adminGet.status()).as(adminGet.toString()).isEqualTo(200);
            assertThat(adminGet.json().get("organizationId").asText()).isEqualTo(org.orgId);
        }
        JsonNode rotated = created.get(4);
        Reply rotation = Http.postJson(org.keysUrl() + "/" + rotated.get("id").asText() + "/rotate", org.ownerToken,
                Map.of("gracePeriodSeconds", 60));
        assertThat(rotation.status()).as(rotation.toString()).isEqualTo(201);
        assertThat(org.isActive(rotation.json().get("key").asText())).isTrue();
        assertThat(org.isActive(rotated.get("key").asText())).as("in its grace period").isTrue();
    }
}
