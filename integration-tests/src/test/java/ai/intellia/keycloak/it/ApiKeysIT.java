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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract section 3: organization API keys, driven over HTTP as an Owner's tooling would. */
@ExtendWith(KeycloakExtension.class)
class ApiKeysIT {

    static final List<String> RESOURCES = List.of("agents", "conversations", "knowledge_bases", "tools", "integrations",
            "prompts", "assume_role", "webhooks");

    private final AdminClient admin;
    private OrgFixture org;

    ApiKeysIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    @Nested
    @DisplayName("POST …/api-keys")
    class Create {

        @Test
        @DisplayName("given a valid body then 201 with Location and the key shown once")
        void createsKey() {
            Reply reply = Http.postJson(org.keysUrl(), org.ownerToken, Map.of(
                    "description", "  Production Integration  ",
                    "permissions", Map.of("agents", Map.of("read", true), "assume_role", Map.of("read", false, "write", true)),
                    "expiresAt", "2099-01-01T00:00:00Z"));

            assertThat(reply.status()).isEqualTo(201);
            JsonNode key = reply.json();
            assertThat(reply.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api-keys/" + key.get("id").asText()));
            assertThat(key.get("key").asText()).startsWith("ik_").matches("[A-Za-z0-9_]{1,128}");
            assertThat(key.get("key").asText()).startsWith(key.get("prefix").asText());
            assertThat(key.get("prefix").asText().length()).isGreaterThanOrEqualTo(12);
            assertThat(key.get("description").asText()).isEqualTo("Production Integration");
            assertThat(key.get("organizationId").asText()).isEqualTo(org.orgId);
            assertThat(key.get("createdBy").asText()).isEqualTo(org.ownerId);
            assertThat(key.get("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
            assertThat(key.get("lastUsedAt").isNull()).isTrue();
            assertThat(key.get("permissions").fieldNames()).toIterable().containsExactlyElementsOf(RESOURCES);
            assertThat(key.at("/permissions/agents").toString()).isEqualTo("{\"read\":true,\"write\":false}");
            assertThat(key.at("/permissions/assume_role").toString()).isEqualTo("{\"read\":false,\"write\":true}");
            assertThat(key.at("/permissions/tools").toString()).isEqualTo("{\"read\":false,\"write\":false}");
        }

        @Test
        @DisplayName("given the organization's alias instead of its id then it works the same")
        void aliasWorks() {
            Reply reply = Http.postJson(org.admin.baseUrl() + "/realms/" + org.realm + "/orgs/" + org.alias + "/api-keys",
                    org.adminToken, Map.of("description", "by alias"));
            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.json().get("organizationId").asText()).isEqualTo(org.orgId);
        }

        @Test
        @DisplayName("given two keys then their secrets and prefixes differ")
        void keysDiffer() {
            JsonNode a = org.createKey(Map.of("description", "a"));
            JsonNode b = org.createKey(Map.of("description", "b"));
            assertThat(a.get("key").asText()).isNotEqualTo(b.get("key").asText());
            assertThat(a.get("prefix").asText()).isNotEqualTo(b.get("prefix").asText());
        }
    }

    @Nested
    @DisplayName("GET …/api-keys and …/api-keys/{id}")
    class Read {

        @Test
        @DisplayName("given keys then the list has them, newest first, never with the secret")
        void listsWithoutSecret() {
            JsonNode first = org.createKey(Map.of("description", "first"));
            JsonNode second = createdInALaterSecond(first, Map.of("description", "second"));
            JsonNode third = createdInALaterSecond(second, Map.of("description", "third"));

            Reply reply = Http.get(org.keysUrl(), org.adminToken);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().findValuesAsText("id"))
                    .containsExactly(third.get("id").asText(), second.get("id").asText(), first.get("id").asText());
            assertThat(Http.get(org.keysUrl() + "?first=1&max=1", org.adminToken).json().findValuesAsText("id"))
                    .containsExactly(second.get("id").asText());
            assertThat(reply.body()).doesNotContain(first.get("key").asText(), second.get("key").asText(), "\"key\"");
        }

        @Test
        @DisplayName("given first and max then the list is paged")
        void pages() {
            for (int i = 0; i < 3; i++) {
                org.createKey(Map.of("description", "k" + i));
            }
            assertThat(Http.get(org.keysUrl() + "?first=0&max=2", org.ownerToken).json()).hasSize(2);
            assertThat(Http.get(org.keysUrl() + "?first=2&max=2", org.ownerToken).json()).hasSize(1);
            assertThat(Http.get(org.keysUrl() + "?max=5000", org.ownerToken).json()).hasSize(3);
        }

        @Test
        @DisplayName("given bad paging then 400")
        void badPaging() {
            for (String query : List.of("first=-1", "max=0", "max=abc", "first=x")) {
                Refusals.assertRefused(Http.get(org.keysUrl() + "?" + query, org.ownerToken), 400, "invalid_request");
            }
        }

        @Test
        @DisplayName("given an id then the key object without the secret; unknown id 404")
        void getsOne() {
            JsonNode created = org.createKey(Map.of("description", "one"));
            Reply reply = Http.get(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().has("key")).isFalse();
            assertThat(reply.json().get("prefix").asText()).isEqualTo(created.get("prefix").asText());

            Refusals.assertRefused(Http.get(org.keysUrl() + "/does-not-exist", org.ownerToken), 404, "api_key_not_found");
        }

        @Test
        @DisplayName("given a key of another organization then its id is 404 here")
        void otherOrganizationsKeyIsNotFound() {
            OrgFixture other = OrgFixture.create(admin);
            JsonNode theirs = other.createKey(Map.of("description", "theirs"));
            Refusals.assertRefused(Http.get(org.keysUrl() + "/" + theirs.get("id").asText(), org.ownerToken), 404, "api_key_not_found");
            Refusals.assertRefused(Http.delete(org.keysUrl() + "/" + theirs.get("id").asText(), org.ownerToken), 404, "api_key_not_found");
            assertThat(other.isActive(theirs.get("key").asText())).isTrue();
        }

        @Test
        @DisplayName("given a used key then lastUsedAt is set")
        void lastUsed() {
            JsonNode created = org.createKey(Map.of("description", "used"));
            assertThat(org.isActive(created.get("key").asText())).isTrue();
            JsonNode listed = Http.get(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken).json();
            assertThat(Instant.parse(listed.get("lastUsedAt").asText())).isCloseTo(Instant.now(), Assertions.within(Duration.ofMinutes(2)));
        }
    }

    @Nested
    @DisplayName("DELETE …/api-keys/{id}")
    class Revoke {

        @Test
        @DisplayName("given a live key then 204, it stops working at once and is gone; a second DELETE is 404")
        void revokes() {
            JsonNode created = org.createKey(Map.of("description", "doomed"));
            String key = created.get("key").asText();
            assertThat(org.isActive(key)).isTrue();

            assertThat(Http.delete(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken).status()).isEqualTo(204);

            Refusals.assertInactive(org.introspect(key));
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).doesNotContain(created.get("id").asText());
            Refusals.assertRefused(Http.get(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken), 404, "api_key_not_found");
            Refusals.assertRefused(Http.delete(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken), 404, "api_key_not_found");
        }

        @Test
        @DisplayName("given the admin console deletes the key's credential then the key stops working")
        void adminConsoleDeleteRevokes() {
            JsonNode created = org.createKey(Map.of("description", "console"));
            String id = created.get("id").asText();
            JsonNode holder = Http.get(admin.url(org.realm, "/users?q=intellia.api-key-holder-of:" + org.orgId), admin.token()).json();
            assertThat(holder).hasSize(1);
            String holderId = holder.get(0).get("id").asText();
            JsonNode credentials = Http.get(admin.url(org.realm, "/users/" + holderId + "/credentials"), admin.token()).json();
            assertThat(credentials.findValuesAsText("id")).contains(id);
            assertThat(credentials.findValuesAsText("userLabel")).anySatisfy(label -> assertThat(label).startsWith("console (ik_"));

            assertThat(Http.delete(admin.url(org.realm, "/users/" + holderId + "/credentials/" + id), admin.token()).status()).isEqualTo(204);

            assertThat(org.isActive(created.get("key").asText())).isFalse();
            Refusals.assertRefused(Http.get(org.keysUrl() + "/" + id, org.ownerToken), 404, "api_key_not_found");
        }

        @Test
        @DisplayName("given the admin console deletes the key's credential then a revoke event is recorded like for a DELETE")
        void adminConsoleDeleteIsARevokeEvent() {
            JsonNode created = org.createKey(Map.of("description", "console event"));
            String id = created.get("id").asText();
            String holderId = Http.get(admin.url(org.realm, "/users?q=intellia.api-key-holder-of:" + org.orgId), admin.token())
                    .json().get(0).get("id").asText();

            assertThat(Http.delete(admin.url(org.realm, "/users/" + holderId + "/credentials/" + id), admin.token()).status()).isEqualTo(204);

            JsonNode events = admin.events(org.realm, "type=REMOVE_CREDENTIAL&max=100");
            assertThat(events).anySatisfy(e -> {
                assertThat(e.at("/details/api_key_id").asText()).isEqualTo(id);
                assertThat(e.at("/details/api_key_operation").asText()).isEqualTo("revoke");
                assertThat(e.at("/details/organization_id").asText()).isEqualTo(org.orgId);
                assertThat(e.at("/details/reason").asText()).isEqualTo("credential_deleted");
                assertThat(e.path("userId").asText()).isNotEmpty();
            });
        }
    }

    @Nested
    @DisplayName("POST …/api-keys/{id}/rotate")
    class Rotate {

        @Test
        @DisplayName("given no grace then the old key stops at once and the new one has the same settings")
        void rotatesWithoutGrace() {
            JsonNode old = org.createKey(Map.of("description", "rotating", "permissions", grant("tools", true, true),
                    "expiresAt", "2099-06-01T00:00:00Z"));

            Reply reply = Http.postJson(org.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.adminToken, Map.of());

            assertThat(reply.status()).isEqualTo(201);
            JsonNode fresh = reply.json();
            assertThat(reply.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(fresh.get("id").asText()));
            assertThat(fresh.get("id").asText()).isNotEqualTo(old.get("id").asText());
            assertThat(fresh.get("key").asText()).isNotEqualTo(old.get("key").asText());
            assertThat(fresh.get("description").asText()).isEqualTo("rotating");
            assertThat(fresh.get("permissions")).isEqualTo(old.get("permissions"));
            assertThat(fresh.get("expiresAt").asText()).isEqualTo("2099-06-01T00:00:00Z");
            assertThat(fresh.get("createdBy").asText()).isEqualTo(org.adminId);
            assertThat(org.isActive(old.get("key").asText())).isFalse();
            assertThat(org.isActive(fresh.get("key").asText())).isTrue();
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).containsExactly(fresh.get("id").asText());
            Refusals.assertRefused(Http.postJson(org.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.ownerToken, Map.of()),
                    404, "api_key_not_found");
        }

        @Test
        @DisplayName("given an empty body then grace is 0")
        void emptyBodyMeansNoGrace() {
            JsonNode old = org.createKey(Map.of("description", "empty body"));
            Reply reply = Http.send("POST", org.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.ownerToken, null, null);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            assertThat(org.isActive(old.get("key").asText())).isFalse();
        }

        @Test
        @DisplayName("given a grace period then both keys work until it ends, the old one listed with the grace end, then gone")
        void rotatesWithGrace() {
            JsonNode old = org.createKey(Map.of("description", "graceful"));
            String oldId = old.get("id").asText();
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            Reply reply = Http.postJson(org.keysUrl() + "/" + oldId + "/rotate", org.ownerToken, Map.of("gracePeriodSeconds", 3));

            assertThat(reply.status()).isEqualTo(201);
            String freshKey = reply.json().get("key").asText();
            assertThat(org.isActive(old.get("key").asText())).isTrue();
            assertThat(org.isActive(freshKey)).isTrue();
            JsonNode listedOld = Http.get(org.keysUrl() + "/" + oldId, org.ownerToken).json();
            assertThat(Instant.parse(listedOld.get("expiresAt").asText())).isBetween(before.plusSeconds(2), before.plusSeconds(5));
            Refusals.assertRefused(Http.postJson(org.keysUrl() + "/" + oldId + "/rotate", org.ownerToken, Map.of()), 409, "key_already_rotated");

            assertThat(Poll.until(Duration.ofSeconds(10), () -> !org.isActive(old.get("key").asText()))).isTrue();
            assertThat(org.isActive(freshKey)).isTrue();
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).doesNotContain(oldId);
            Refusals.assertRefused(Http.get(org.keysUrl() + "/" + oldId, org.ownerToken), 404, "api_key_not_found");
            Refusals.assertRefused(Http.postJson(org.keysUrl() + "/" + oldId + "/rotate", org.ownerToken, Map.of()), 404, "api_key_not_found");
        }

        @Test
        @DisplayName("given a bad grace period then 400 and nothing changes")
        void badGrace() {
            JsonNode old = org.createKey(Map.of("description", "stays"));
            for (String body : List.of("{\"gracePeriodSeconds\": -1}", "{\"gracePeriodSeconds\": 604801}",
                    "{\"gracePeriodSeconds\": 1.5}", "{\"gracePeriodSeconds\": \"10\"}", "{\"grace\": 10}", "[1]")) {
                Reply reply = Http.send("POST", org.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.ownerToken,
                        "application/json", body);
                Refusals.assertRefused(reply, 400, "invalid_request");
            }
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).hasSize(1);
            assertThat(org.isActive(old.get("key").asText())).isTrue();
        }
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {

        @Test
        @DisplayName("given a key past its expiresAt then it stops working but stays listed, and cannot be rotated")
        void expires() {
            Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            JsonNode created = org.createKey(Map.of("description", "short-lived", "expiresAt", expiresAt.toString()));
            assertThat(org.isActive(created.get("key").asText())).isTrue();

            assertThat(Poll.until(Duration.ofSeconds(10), () -> !org.isActive(created.get("key").asText()))).isTrue();

            JsonNode listed = Http.get(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken).json();
            assertThat(listed.get("expiresAt").asText()).isEqualTo(expiresAt.toString());
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).contains(created.get("id").asText());
            Refusals.assertRefused(Http.postJson(org.keysUrl() + "/" + created.get("id").asText() + "/rotate", org.ownerToken, Map.of()),
                    404, "api_key_not_found");
        }

        @Test
        @DisplayName("given an expiresAt in the past then 400")
        void pastExpiry() {
            Reply reply = Http.postJson(org.keysUrl(), org.ownerToken, Map.of("description", "x", "expiresAt", "2020-01-01T00:00:00Z"));
            Refusals.assertRefused(reply, 400, "invalid_request");
        }
    }

    @Nested
    @DisplayName("who may manage keys")
    class Authorization {

        @Test
        @DisplayName("given an Owner or an Admin then allowed")
        void ownersAndAdmins() {
            assertThat(Http.get(org.keysUrl(), org.ownerToken).status()).isEqualTo(200);
            assertThat(Http.get(org.keysUrl(), org.adminToken).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("given a plain member or another organization's Owner then 403 on every call")
        void othersForbidden() {
            JsonNode key = org.createKey(Map.of("description", "guarded"));
            String id = key.get("id").asText();
            OrgFixture other = OrgFixture.create(admin);
            for (String token : List.of(org.memberToken, other.ownerToken)) {
                Refusals.assertRefused(Http.get(org.keysUrl(), token), 403, "forbidden");
                Refusals.assertRefused(Http.get(org.keysUrl() + "/" + id, token), 403, "forbidden");
                Refusals.assertRefused(Http.postJson(org.keysUrl(), token, Map.of("description", "x")), 403, "forbidden");
                Refusals.assertRefused(Http.postJson(org.keysUrl() + "/" + id + "/rotate", token, Map.of()), 403, "forbidden");
                Refusals.assertRefused(Http.delete(org.keysUrl() + "/" + id, token), 403, "forbidden");
            }
            assertThat(org.isActive(key.get("key").asText())).isTrue();
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).hasSize(1);
        }

        @Test
        @DisplayName("given a valid API key as bearer then 403, or 404 for an unknown organization")
        void apiKeysCannotManageKeys() {
            String key = org.createKey(Map.of("description", "robot", "permissions", grant("assume_role", true, true))).get("key").asText();
            Refusals.assertRefused(Http.get(org.keysUrl(), key), 403, "forbidden");
            Refusals.assertRefused(Http.postJson(org.keysUrl(), key, Map.of("description", "x")), 403, "forbidden");
            String unknown = admin.baseUrl() + "/realms/" + org.realm + "/orgs/no-such-org/api-keys";
            Refusals.assertRefused(Http.get(unknown, key), 404, "organization_not_found");
        }

        @Test
        @DisplayName("given no credential or a bad one then 401 unauthorized or invalid_token")
        void unauthenticated() {
            Refusals.assertRefused(Http.get(org.keysUrl(), null), 401, "unauthorized");
            Refusals.assertRefused(Http.get(org.keysUrl(), "not-a-token"), 401, "invalid_token");
            Refusals.assertRefused(Http.get(org.keysUrl(), "ik_made_up"), 401, "invalid_token");
            Refusals.assertRefused(Http.get(org.keysUrl(), ForgedKeys.madeUp()), 401, "invalid_token");
            Refusals.assertRefused(Http.get(admin.baseUrl() + "/realms/" + org.realm + "/orgs/no-such-org/api-keys", null), 401, "unauthorized");
        }

        @Test
        @DisplayName("given an unknown organization then 404 after authentication")
        void unknownOrganization() {
            Reply reply = Http.get(admin.baseUrl() + "/realms/" + org.realm + "/orgs/no-such-org/api-keys", org.ownerToken);
            Refusals.assertRefused(reply, 404, "organization_not_found");
        }
    }

    @Nested
    @DisplayName("bad input (section 7)")
    class BadInput {

        @Test
        @DisplayName("given a malformed or mistyped body then 400 and nothing is written")
        void badBodies() {
            for (String body : List.of("{", "[]", "\"text\"", "{\"description\": 5}", "{\"description\": \"\"}",
                    "{\"description\": \"   \"}", "{\"description\": \"" + "x".repeat(256) + "\"}",
                    "{\"description\": \"x\", \"permissions\": {\"robots\": {\"read\": true}}}",
                    "{\"description\": \"x\", \"permissions\": {\"agents\": {\"read\": \"yes\"}}}",
                    "{\"description\": \"x\", \"permissions\": {\"agents\": {\"delete\": true}}}",
                    "{\"description\": \"x\", \"permissions\": [\"agents\"]}",
                    "{\"description\": \"x\", \"expiresAt\": \"tomorrow\"}",
                    "{\"description\": \"x\", \"owner\": \"me\"}",
                    "{\"description\": \"x\", \"description\": \"y\"}")) {
                Reply reply = Http.send("POST", org.keysUrl(), org.ownerToken, "application/json", body);
                Refusals.assertRefused(reply, 400, "invalid_request");
                assertThat(reply.body()).doesNotContain("Exception", "at org.");
            }
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).isEmpty();
        }

        @Test
        @DisplayName("given a body over 64 KiB then 413 and nothing is written")
        void oversize() {
            String body = "{\"description\": \"x\", \"pad\": \"" + "x".repeat(70 * 1024) + "\"}";
            Reply reply = Http.send("POST", org.keysUrl(), org.ownerToken, "application/json", body);
            Refusals.assertRefused(reply, 413, "request_too_large");
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).isEmpty();
        }

        @Test
        @DisplayName("given a non-JSON content type then 415 with the JSON error body")
        void wrongContentType() {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
                Reply reply = Http.send("POST", org.keysUrl(), org.ownerToken, type, "{\"description\": \"x\"}");
                Refusals.assertRefused(reply, 415, "unsupported_media_type");
            }
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).isEmpty();
        }
    }

    /**
     * A key created after {@code earlier} in a later second than its {@code createdAt} (keys carry
     * whole seconds, so only keys of different seconds have an order to check).
     */
    private JsonNode createdInALaterSecond(JsonNode earlier, Map<String, Object> body) {
        Instant after = Instant.parse(earlier.get("createdAt").asText()).plusSeconds(1);
        Poll.until(Duration.ofSeconds(3), () -> !Instant.now().isBefore(after.plusMillis(50)));
        JsonNode created = org.createKey(body);
        assertThat(Instant.parse(created.get("createdAt").asText())).isAfter(Instant.parse(earlier.get("createdAt").asText()));
        return created;
    }

    /** AssertJ's within() for Instants, named apart from the test's own classes. */
    static final class Assertions {
        static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
            return new org.assertj.core.data.TemporalUnitWithinOffset(d.toSeconds(), ChronoUnit.SECONDS);
        }
    }
}
