package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key issued by release 0.2.0, before keys were spread over several holders and before the
 * usage ledger per holder (issue 12), brought back the way a deployment moves a realm: a realm
 * export imported at startup ({@code src/test/resources/realms/previous-release-realm.json}, as
 * {@code kc.sh export} writes 0.2.0's data: the realm's tag secret user, the organization's one key
 * holder with the key as an {@code api-key} credential in 0.2.0's {@code credentialData} and
 * {@code secretData}, and the organization's usage ledger with the key's last use). The key string
 * is built here from the same constants as 0.2.0 built it (the file's prefix cross-checks it).
 * Then the key must work, show its recorded last use, stay in place while new keys open further
 * holders, and be revocable at once.
 */
@ExtendWith(KeycloakExtension.class)
class PreviousReleaseKeyIT {

    private static final String REALM = "previous-release";
    private static final String ORG_ID = "0a020000-0000-4000-8000-000000000002";
    private static final String KEY_ID = "0a020000-0000-4000-8000-000000000003";
    private static final Instant LAST_USED = Instant.ofEpochSecond(1796036400L);

    private final AdminClient admin;

    PreviousReleaseKeyIT(AdminClient admin) {
        this.admin = admin;
    }

    @Test
    @DisplayName("given a realm exported with a key of release 0.2.0 then after the import the key works, shows its recorded last use, stays put as new keys open holders, and revokes at once")
    void keyOfTheRelease020() throws Exception {
        String holderId = derived("intellia-api-key-holder:" + ORG_ID);
        String key = key020(KEY_ID, holderId, sha256("intellia 0.2.0 fixture: key secret"), sha256("intellia 0.2.0 fixture: realm tag secret"));
        admin.ensureTestClient(REALM);
        String owner = admin.userToken(REALM, "previous-owner", "pw");
        String keysUrl = admin.baseUrl() + "/realms/" + REALM + "/orgs/" + ORG_ID + "/api-keys";

        Reply first = Http.get(keysUrl, owner);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json()).as("the imported key: " + first).hasSize(1);
        JsonNode listed = first.json().get(0);
        assertThat(listed.get("id").asText()).isEqualTo(KEY_ID);
        assertThat(listed.get("prefix").asText()).as("the key string built here is the one 0.2.0 issued").isEqualTo(key.substring(0, 16));
        assertThat(listed.get("description").asText()).isEqualTo("issued by 0.2.0");
        assertThat(Instant.parse(listed.get("lastUsedAt").asText())).as("the use 0.2.0 recorded").isEqualTo(LAST_USED);

        JsonNode answer = introspect(key).json();
        assertThat(answer.get("active").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("scope").asText()).isEqualTo("agents:read");
        assertThat(answer.get("organization_id").asText()).isEqualTo(ORG_ID);

        List<String> newer = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // 3 keys per holder in the tests: the old holder fills up, holders 1 and 2 open
            Reply created = Http.postJson(keysUrl, owner, Map.of("description", "new " + i, "permissions", grant("agents", true, false)));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            newer.add(created.json().get("key").asText());
        }
        Reply holders = Http.get(admin.url(REALM, "/users?max=100&q=" + Http.encode("intellia.api-key-holder-of:" + ORG_ID)), admin.token());
        assertThat(holders.json()).as("key holders").hasSize(3);
        assertThat(active(key)).as("the 0.2.0 key once new holders exist").isTrue();
        for (String k : newer) {
            assertThat(active(k)).isTrue();
        }
        Reply list = Http.get(keysUrl + "?max=100", owner);
        assertThat(list.json()).hasSize(8);
        assertThat(list.json().get(7).get("id").asText()).as("the oldest key, last").isEqualTo(KEY_ID);

        Reply revoked = Http.delete(keysUrl + "/" + KEY_ID, owner);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertThat(active(key)).as("revoked").isFalse();
        for (String k : newer) {
            assertThat(active(k)).isTrue();
        }
    }

    @Test
    @DisplayName("given an admin PUT of a key holder, or a new user, with an api-key credential then 400 and nothing written (only a startup import brings keys)")
    void anAdminCannotPlantAKey() throws Exception {
        String holderId = derived("intellia-api-key-holder:" + ORG_ID);
        String plantedId = UUID.randomUUID().toString();
        byte[] secret = sha256("planted " + plantedId);
        String credentialData = "{\"organizationId\":\"" + ORG_ID + "\",\"prefix\":\"ik_planted\",\"description\":\"planted\","
                + "\"permissions\":{\"assume_role\":{\"read\":true,\"write\":true}},\"createdAt\":\"" + Instant.now() + "\"}";
        String secretData = "{\"sha256\":\"" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(secret)) + "\"}";
        Reply holder = Http.get(admin.url(REALM, "/users/" + holderId), admin.token());
        assertThat(holder.status()).as(holder.toString()).isEqualTo(200);
        // The holder as the admin API shows it (its attributes left out: kept as they are), with one credential more.
        ObjectNode update = ((ObjectNode) holder.json()).deepCopy();
        update.remove("access");
        update.putArray("credentials").addObject().put("id", plantedId).put("type", "api-key")
                .put("secretData", secretData).put("credentialData", credentialData);
        Reply put = Http.putJson(admin.url(REALM, "/users/" + holderId), admin.token(), update);
        assertThat(put.status()).as(put.toString()).isEqualTo(400);
        assertThat(put.body()).contains("API keys cannot be created as user credentials");
        Reply post = Http.postJson(admin.url(REALM, "/users"), admin.token(), Map.of("username", "planter-" + plantedId, "enabled", true,
                "credentials", List.of(Map.of("id", plantedId, "type", "api-key", "secretData", secretData, "credentialData", credentialData))));
        assertThat(post.status()).as(post.toString()).isEqualTo(400);
        assertThat(admin.usersByUsername(REALM, "planter-" + plantedId)).as("no user created by the refused request").isEmpty();

        Reply credentials = Http.get(admin.url(REALM, "/users/" + holderId + "/credentials"), admin.token());
        assertThat(credentials.body()).doesNotContain(plantedId);
        String planted = key020(plantedId, holderId, secret, sha256("intellia 0.2.0 fixture: realm tag secret"));
        assertThat(active(planted)).as("a planted key").isFalse();
    }

    private Reply introspect(String key) {
        return Http.postForm(admin.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token/introspect", null,
                Map.of("token", key, "token_type_hint", "api_key", "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
    }

    private boolean active(String key) {
        Reply reply = introspect(key);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("active").asBoolean();
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The key string as 0.2.0 built it (the layout has not changed since). */
    private static String key020(String keyId, String holderId, byte[] secret, byte[] tagSecret) {
        String key = ForgedKeys.assemble(keyId, holderId, secret, tagSecret);
        assertThat(key).hasSize(ForgedKeys.TAGGED_LENGTH);
        return key;
    }

    private static String derived(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
