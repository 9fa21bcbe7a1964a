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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static ai.intellia.keycloak.it.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract section 5 (and 4.3): POST {kc}/realms/{realm}/orgs/{org}/assume-role, over HTTP. */
@ExtendWith(KeycloakExtension.class)
class AssumeRoleIT {

    private final AdminClient admin;
    private OrgFixture org;
    private String key;
    private String keyId;

    AssumeRoleIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganizationWithAnAssumeRoleKey() {
        org = OrgFixture.create(admin);
        JsonNode created = org.createKey("chat backend", grant("assume_role", false, true));
        key = created.get("key").asText();
        keyId = created.get("id").asText();
    }

    // --- helpers -------------------------------------------------------------------------------

    private static String assumeUrl(OrgFixture in) {
        return in.orgUrl() + "/assume-role";
    }

    private Reply assume(String bearer, Object body) {
        return Http.postJson(assumeUrl(org), bearer, body);
    }

    /** A 200 assume-role answer for this body with the fixture's key. */
    private JsonNode assumed(Object body) {
        Reply reply = assume(key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private JsonNode claims(JsonNode answer) {
        return RealmJwt.verified(admin, org.realm, answer.get("token").asText());
    }

    private String subOf(Object body) {
        return claims(assumed(body)).get("sub").asText();
    }

    private static Map<String, Object> user(String userId, String email, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        if (email != null) {
            body.put("userEmail", email);
        }
        if (name != null) {
            body.put("userName", name);
        }
        return body;
    }

    private JsonNode adminUser(String realm, String id) {
        Reply reply = Http.get(admin.url(realm, "/users/" + id), admin.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** Users of the realm that assume-role provisioned for this userId (in any organization). */
    private JsonNode provisioned(String userId) {
        Reply reply = Http.get(admin.url(org.realm, "/users?briefRepresentation=false&q=" + Http.encode("intellia.user-id:" + userId)),
                admin.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private List<String> memberIds() {
        return admin.members(org.realm, org.orgId).findValuesAsText("id");
    }

    private static String uniqueUserId(String hint) {
        return hint + "-" + System.nanoTime();
    }

    // --- tests ---------------------------------------------------------------------------------

    @Nested
    @DisplayName("a successful call with an assume_role.write key")
    class Success {

        @Test
        @DisplayName("given a valid body then 200 with exactly token, expiresAt, userId, organizationId and role chat")
        void answerShape() {
            String userId = uniqueUserId("shape");
            Reply reply = assume(key, user(userId, "shape@customer.example", "Shape Tester"));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode json = reply.json();
            assertThat(json.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("token", "expiresAt", "userId", "organizationId", "role");
            assertThat(json.get("token").asText()).startsWith("eyJ");
            assertThat(json.get("userId").asText()).isEqualTo(userId);
            assertThat(json.get("organizationId").asText()).isEqualTo(org.orgId);
            assertThat(json.get("role").asText()).isEqualTo("chat");
            assertThat(Instant.parse(json.get("expiresAt").asText()))
                    .isBetween(Instant.now().plusSeconds(7100), Instant.now().plusSeconds(7300));
        }

        @Test
        @DisplayName("given the organization's alias in the path then it works the same")
        void aliasWorks() {
            Reply reply = Http.postJson(admin.baseUrl() + "/realms/" + org.realm + "/orgs/" + org.alias + "/assume-role", key,
                    user(uniqueUserId("alias"), null, null));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("organizationId").asText()).isEqualTo(org.orgId);
        }

        @Test
        @DisplayName("given the token then the realm JWKS verifies it, iss is the realm, it lives 7200 s and expiresAt is its exp")
        void signedByTheRealm() {
            JsonNode answer = assumed(user(uniqueUserId("sig"), null, null));
            JsonNode claims = claims(answer);

            assertThat(claims.get("iss").asText()).isEqualTo(RealmJwt.issuer(admin, org.realm));
            assertThat(RealmJwt.lifetime(claims)).isEqualTo(7200);
            assertThat(Instant.parse(answer.get("expiresAt").asText()).getEpochSecond()).isEqualTo(claims.get("exp").asLong());
            assertThat(claims.path("typ").asText()).isEqualTo("Bearer");
        }

        @Test
        @DisplayName("given the token then azp is chat-widget and it names the end user: sub, user_id, organization_id, email, name")
        void identityClaims() {
            String userId = uniqueUserId("who");
            JsonNode claims = claims(assumed(user(userId, "Who@Customer.example", "John Doe")));

            assertThat(claims.get("azp").asText()).isEqualTo("chat-widget");
            assertThat(provisioned(userId).findValuesAsText("id")).containsExactly(claims.get("sub").asText());
            assertThat(claims.get("user_id").asText()).isEqualTo(userId);
            assertThat(claims.get("organization_id").asText()).isEqualTo(org.orgId);
            assertThat(claims.get("email").asText()).isEqualTo("Who@Customer.example"); // as asserted, verbatim
            assertThat(claims.get("name").asText()).isEqualTo("John Doe");
        }

        @Test
        @DisplayName("given the token then scope has openid, realm roles are exactly [chat] and there is no realm-management access")
        void narrowScope() {
            JsonNode claims = claims(assumed(user(uniqueUserId("scope"), null, null)));

            assertThat(RealmJwt.scopes(claims)).contains("openid");
            assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("chat");
            assertThat(claims.path("resource_access").has("realm-management")).isFalse();
        }

        @Test
        @DisplayName("given the token then act.sub is the key id and aud contains intellia-api")
        void actorAndAudience() {
            JsonNode claims = claims(assumed(user(uniqueUserId("act"), null, null)));

            assertThat(claims.at("/act/sub").asText()).isEqualTo(keyId);
            assertThat(RealmJwt.audiences(claims)).contains(OrgFixture.RS_CLIENT);
        }

        @Test
        @DisplayName("given the token then Keycloak's own introspection, called as intellia-api, says active")
        void keycloakIntrospectionAccepts() {
            String token = assumed(user(uniqueUserId("introspect"), null, null)).get("token").asText();

            Reply reply = Http.postForm(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect", null,
                    Map.of("token", token, "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("active").asBoolean()).as(reply.toString()).isTrue();
        }

        @Test
        @DisplayName("given the token then the userinfo endpoint accepts it")
        void userinfoAccepts() {
            String userId = uniqueUserId("userinfo");
            String token = assumed(user(userId, "userinfo@customer.example", null)).get("token").asText();

            Reply reply = Http.get(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/userinfo", token);

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("sub").asText()).isEqualTo(provisioned(userId).get(0).get("id").asText());
        }
    }

    @Nested
    @DisplayName("end-user accounts")
    class Accounts {

        @Test
        @DisplayName("given a first call then a user is created; given a second then it is reused (same sub)")
        void createdOnceThenReused() {
            String userId = uniqueUserId("reuse");
            assertThat(provisioned(userId)).isEmpty();

            String first = subOf(user(userId, null, null));
            String second = subOf(user(userId, null, null));

            assertThat(second).isEqualTo(first);
            assertThat(provisioned(userId).findValuesAsText("id")).containsExactly(first);
        }

        @Test
        @DisplayName("given a changed email or name then the next token carries the new values, the account's unique email field stays free")
        void updatesEmailAndName() {
            String userId = uniqueUserId("update");
            String sub = subOf(user(userId, "old@customer.example", "Old Name"));

            JsonNode claims = claims(assumed(user(userId, "new@customer.example", "New Name")));

            assertThat(claims.get("sub").asText()).isEqualTo(sub);
            assertThat(claims.get("email").asText()).isEqualTo("new@customer.example");
            assertThat(claims.get("name").asText()).isEqualTo("New Name");
            JsonNode account = adminUser(org.realm, sub);
            assertThat(account.path("email").isMissingNode() || account.path("email").isNull()).as(account.toString()).isTrue();
            assertThat(account.get("firstName").asText()).isEqualTo("New Name");
        }

        @Test
        @DisplayName("given a first call then the user is a member of the organization and of its Default group")
        void memberOfOrganizationAndDefaultGroup() {
            String sub = subOf(user(uniqueUserId("member"), null, null));

            assertThat(memberIds()).contains(sub);
            String defaultGroup = admin.organizationGroups(org.realm, org.orgId).get("Default");
            assertThat(defaultGroup).as("Default group").isNotNull();
            assertThat(admin.organizationGroupMembers(org.realm, org.orgId, defaultGroup).findValuesAsText("id")).contains(sub);
        }

        @Test
        @DisplayName("given an asserted email then it is not marked verified (account and token)")
        void emailNotVerified() {
            JsonNode claims = claims(assumed(user(uniqueUserId("unverified"), "unverified@customer.example", null)));

            assertThat(claims.path("email_verified").asBoolean(false)).isFalse();
            assertThat(adminUser(org.realm, claims.get("sub").asText()).path("emailVerified").asBoolean(false)).isFalse();
        }

        @Test
        @DisplayName("given the same userId in two organizations then two different users")
        void scopedToTheOrganization() {
            OrgFixture other = OrgFixture.create(admin);
            String otherKey = other.createKey("other backend", grant("assume_role", false, true)).get("key").asText();
            String userId = uniqueUserId("twice");

            String here = subOf(user(userId, "same@customer.example", null));
            Reply there = Http.postJson(assumeUrl(other), otherKey, user(userId, "same@customer.example", null));

            assertThat(there.status()).as(there.toString()).isEqualTo(200);
            JsonNode thereClaims = RealmJwt.verified(admin, other.realm, there.json().get("token").asText());
            assertThat(thereClaims.get("sub").asText()).isNotEqualTo(here);
            assertThat(thereClaims.get("organization_id").asText()).isEqualTo(other.orgId);
            assertThat(thereClaims.get("email").asText()).isEqualTo("same@customer.example");
            assertThat(provisioned(userId)).hasSize(2);
        }

        @Test
        @DisplayName("given 10 concurrent first calls for one userId then all 200, one sub, exactly one user (6 rounds)")
        void concurrentFirstCalls() throws Exception {
            subOf(user(uniqueUserId("warm-up"), null, null)); // races show once the server is warm
            for (int round = 0; round < 6; round++) {
                String userId = uniqueUserId("race" + round);

                List<Reply> replies = concurrently(10, () -> assume(key, user(userId, "race@customer.example", "Racer")));

                Set<String> subs = new HashSet<>();
                for (Reply reply : replies) {
                    assertThat(reply.status()).as("round %d: %s", round, reply).isEqualTo(200);
                    subs.add(claims(reply.json()).get("sub").asText());
                }
                assertThat(subs).hasSize(1);
                assertThat(provisioned(userId).findValuesAsText("id")).containsExactlyElementsOf(subs);
                assertThat(memberIds()).containsOnlyOnce(subs.iterator().next());
            }
        }

        /** Runs {@code call} on {@code n} threads released at the same moment. */
        private List<Reply> concurrently(int n, Callable<Reply> call) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Reply>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return call.call();
                    }));
                }
                start.countDown();
                List<Reply> replies = new ArrayList<>();
                for (Future<Reply> future : futures) {
                    replies.add(future.get());
                }
                return replies;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("existing realm users are never the subject")
    class Escalation {

        @Test
        @DisplayName("given the Owner's id as userId and the Owner's email then 200 for a separate account, the Owner unchanged")
        void ownersIdAndEmail() {
            JsonNode before = adminUser(org.realm, org.ownerId);
            String ownerEmail = before.get("email").asText();

            JsonNode claims = claims(assumed(user(org.ownerId, ownerEmail, "Mallory")));

            assertThat(claims.get("sub").asText()).isNotEqualTo(org.ownerId);
            assertThat(claims.get("email").asText()).isEqualTo(ownerEmail);
            assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("chat");
            assertUnchanged(before);
        }

        @Test
        @DisplayName("given the Owner's username as userId then a separate account, the Owner unchanged")
        void ownersUsername() {
            JsonNode before = adminUser(org.realm, org.ownerId);

            JsonNode claims = claims(assumed(user(before.get("username").asText(), before.get("email").asText(), "Mallory")));

            assertThat(claims.get("sub").asText()).isNotEqualTo(org.ownerId);
            assertThat(claims.path("preferred_username").asText()).isNotEqualTo(before.get("username").asText());
            assertUnchanged(before);
        }

        @Test
        @DisplayName("given userId admin and a member of another organization's email then a separate account, that member unchanged")
        void adminAndOtherOrganizationsMember() {
            OrgFixture other = OrgFixture.create(admin);
            JsonNode before = adminUser(other.realm, other.ownerId);

            JsonNode claims = claims(assumed(user("admin", before.get("email").asText(), null)));

            assertThat(claims.get("sub").asText()).isNotEqualTo(other.ownerId);
            assertThat(claims.path("preferred_username").asText()).isNotEqualTo("admin");
            assertThat(claims.get("email").asText()).isEqualTo(before.get("email").asText());
            assertThat(claims.get("organization_id").asText()).isEqualTo(org.orgId);
            assertUnchanged(before);
        }

        private void assertUnchanged(JsonNode before) {
            JsonNode after = adminUser(org.realm, before.get("id").asText());
            for (String field : List.of("username", "email", "emailVerified", "firstName", "lastName", "enabled", "attributes")) {
                assertThat(after.path(field)).as(field).isEqualTo(before.path(field));
            }
        }
    }

    @Nested
    @DisplayName("refusals (401, then 404, then 403)")
    class Refusals {

        @Test
        @DisplayName("given no Authorization then 401 with a JSON error")
        void noCredential() {
            assertRefused(assume(null, user("u", null, null)), 401, "unauthorized");
        }

        @Test
        @DisplayName("given a wrong, a revoked or an expired key then 401 with identical error and error_description")
        void badRevokedExpiredKeysLookAlike() {
            String wrong = ForgedKeys.withSecret(key, "A".repeat(43));
            JsonNode revoked = org.createKey("revoked", grant("assume_role", false, true));
            assertThat(Http.delete(org.keysUrl() + "/" + revoked.get("id").asText(), org.ownerToken).status()).isEqualTo(204);
            String expiring = org.createKey(Map.of("description", "expiring", "permissions", grant("assume_role", false, true),
                    "expiresAt", Instant.now().plusSeconds(2).toString())).get("key").asText();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !org.isActive(expiring))).isTrue();

            List<JsonNode> bodies = new ArrayList<>();
            for (String bad : List.of(wrong, revoked.get("key").asText(), expiring)) {
                Reply reply = assume(bad, user("u", null, null));
                assertRefused(reply, 401, "invalid_token");
                bodies.add(reply.json());
            }
            assertThat(bodies).allSatisfy(b -> assertThat(b).isEqualTo(bodies.get(0)));
            assertThat(assume("ik_made_up", user("u", null, null)).json()).isEqualTo(bodies.get(0));
            assertRefused(assume("not-a-jwt", user("u", null, null)), 401, "invalid_token");
            assertThat(assume(ForgedKeys.madeUp(), user("u", null, null)).json()).isEqualTo(bodies.get(0));
        }

        @Test
        @DisplayName("given a valid key of the organization but without assume_role.write then 403")
        void keyWithoutPermission() {
            String readOnly = org.createKey("reader", grant("assume_role", true, false)).get("key").asText();
            assertRefused(assume(readOnly, user(uniqueUserId("denied"), null, null)), 403, "forbidden");
        }

        @Test
        @DisplayName("given an assume_role.write key of another organization then 403")
        void keyOfAnotherOrganization() {
            OrgFixture other = OrgFixture.create(admin);
            String theirs = other.createKey("theirs", grant("assume_role", false, true)).get("key").asText();
            String userId = uniqueUserId("foreign");

            assertRefused(assume(theirs, user(userId, null, null)), 403, "forbidden");
            assertThat(provisioned(userId)).isEmpty();
        }

        @Test
        @DisplayName("given a plain member's token then 403; an Admin's token then 200")
        void usersMustManageTheOrganization() {
            assertRefused(assume(org.memberToken, user(uniqueUserId("member"), null, null)), 403, "forbidden");
            assertThat(assume(org.adminToken, user(uniqueUserId("admin"), null, null)).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("given an Owner's token then 200 with act.sub = the Owner's user id")
        void ownerMayMint() {
            Reply reply = assume(org.ownerToken, user(uniqueUserId("by-owner"), null, null));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(claims(reply.json()).at("/act/sub").asText()).isEqualTo(org.ownerId);
        }

        @Test
        @DisplayName("given an unknown organization then 404 for a valid key, 401 without a valid credential")
        void unknownOrganization() {
            String unknown = admin.baseUrl() + "/realms/" + org.realm + "/orgs/no-such-org/assume-role";

            assertRefused(Http.postJson(unknown, key, user("u", null, null)), 404, "organization_not_found");
            assertRefused(Http.postJson(unknown, org.ownerToken, user("u", null, null)), 404, "organization_not_found");
            assertRefused(Http.postJson(unknown, null, user("u", null, null)), 401, "unauthorized");
            assertRefused(Http.postJson(unknown, "ik_made_up", user("u", null, null)), 401, "invalid_token");
        }

        @Test
        @DisplayName("given a refused key that can be named then a TOKEN_EXCHANGE_ERROR event with its details")
        void refusalEvent() {
            JsonNode reader = org.createKey("reader", grant("assume_role", true, false));
            assertRefused(assume(reader.get("key").asText(), user("u", null, null)), 403, "forbidden");

            assertThat(Poll.until(Duration.ofSeconds(5), () -> admin.events(org.realm, "type=TOKEN_EXCHANGE_ERROR&max=200")
                    .findParents("details").stream().anyMatch(e ->
                            reader.get("id").asText().equals(e.at("/details/api_key_id").asText())
                                    && "api-key".equals(e.at("/details/source").asText())
                                    && org.orgId.equals(e.at("/details/organization_id").asText())))).isTrue();
        }
    }

    @Nested
    @DisplayName("bad input: 400 (415 for a non-JSON body) with {error, error_description}, nothing created")
    class BadInput {

        @Test
        @DisplayName("given invalid fields, unknown fields or malformed JSON then 400 and no user")
        void invalidBodies() {
            List<String> members = memberIds();
            String marker = uniqueUserId("bad");
            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("missing userId", "{\"userEmail\": \"a@b.example\"}");
            bodies.put("empty userId", "{\"userId\": \"\"}");
            bodies.put("null userId", "{\"userId\": null}");
            bodies.put("numeric userId", "{\"userId\": 42}");
            bodies.put("userId of 256", "{\"userId\": \"" + "u".repeat(256) + "\"}");
            bodies.put("userId with a control character", "{\"userId\": \"" + marker + "\\u0007\"}");
            bodies.put("bad email", "{\"userId\": \"" + marker + "\", \"userEmail\": \"not-an-email\"}");
            bodies.put("email with spaces", "{\"userId\": \"" + marker + "\", \"userEmail\": \"a b@c.example\"}");
            bodies.put("userName of 256", "{\"userId\": \"" + marker + "\", \"userName\": \"" + "n".repeat(256) + "\"}");
            bodies.put("unknown field", "{\"userId\": \"" + marker + "\", \"role\": \"admin\"}");
            bodies.put("malformed JSON", "{\"userId\": \"" + marker + "\"");
            bodies.put("not an object", "[\"" + marker + "\"]");
            bodies.put("empty body", "");
            for (Map.Entry<String, String> body : bodies.entrySet()) {
                Reply reply = Http.send("POST", assumeUrl(org), key, "application/json", body.getValue());
                assertRefused(reply, 400, "invalid_request");
            }
            assertThat(provisioned(marker)).isEmpty();
            assertThat(memberIds()).containsExactlyInAnyOrderElementsOf(members);
        }

        @Test
        @DisplayName("given a userId of exactly 255 characters then 200")
        void longestUserId() {
            assertThat(assume(key, user("u".repeat(255), null, "n".repeat(255))).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("given a non-JSON content type then 415 with a JSON error and no user")
        void notJson() {
            String marker = uniqueUserId("plain");
            Reply reply = Http.send("POST", assumeUrl(org), key, "text/plain", "{\"userId\": \"" + marker + "\"}");
            assertRefused(reply, 415, "unsupported_media_type");
            assertRefused(Http.postForm(assumeUrl(org), key, Map.of("userId", marker)), 415, "unsupported_media_type");
            assertThat(provisioned(marker)).isEmpty();
        }
    }

    @Nested
    @DisplayName("events and sessions")
    class EventsAndSessions {

        @Test
        @DisplayName("given a call with a key then a TOKEN_EXCHANGE event with source=api-key, api_key_id and organization_id")
        void tokenExchangeEvent() {
            String sub = subOf(user(uniqueUserId("evented"), null, null));

            assertThat(Poll.until(Duration.ofSeconds(5), () -> admin.events(org.realm, "type=TOKEN_EXCHANGE&max=100")
                    .findParents("details").stream().anyMatch(e ->
                            keyId.equals(e.at("/details/api_key_id").asText())
                                    && "api-key".equals(e.at("/details/source").asText())
                                    && org.orgId.equals(e.at("/details/organization_id").asText())
                                    && sub.equals(e.path("userId").asText())))).isTrue();
            assertThat(admin.events(org.realm, "type=TOKEN_EXCHANGE&max=100").toString()).doesNotContain(key);
        }

        @Test
        @DisplayName("given 20 calls then the end users have no user sessions (tokens ride on transient sessions)")
        void noSessionsLeftBehind() {
            Set<String> subs = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                subs.add(subOf(user("sessionless-" + (i % 5) + "-" + org.alias, null, null)));
            }
            assertThat(subs).hasSize(5);
            for (String sub : subs) {
                Reply sessions = Http.get(admin.url(org.realm, "/users/" + sub + "/sessions"), admin.token());
                assertThat(sessions.status()).isEqualTo(200);
                assertThat(sessions.json()).as(sub).isEmpty();
            }
            String chatWidget = admin.client(org.realm, "chat-widget").get("id").asText();
            Reply count = Http.get(admin.url(org.realm, "/clients/" + chatWidget + "/session-count"), admin.token());
            assertThat(count.json().get("count").asLong()).isZero();
        }
    }

    @Nested
    @DisplayName("a realm without chat-widget and the chat role")
    class FreshRealm {

        /** A new realm with organizations and events on (and {@code attributes}), and an organization with an assume-role key. */
        private OrgFixture freshRealm(Map<String, String> attributes) {
            String realm = "assume-" + System.nanoTime();
            admin.createRealm(Map.of("realm", realm, "enabled", true, "attributes", attributes));
            admin.enableOrganizations(realm);
            admin.updateRealm(realm, Map.of("eventsEnabled", true, "adminEventsEnabled", true));
            return OrgFixture.create(admin, realm);
        }

        @Test
        @DisplayName("given the realm configures lifetime, client and role then tokens follow the configuration")
        void configured() {
            OrgFixture there = freshRealm(Map.of("intellia.api-keys.assume-role-lifetime", "600",
                    "intellia.api-keys.assume-role-client", "support-widget", "intellia.api-keys.assume-role-role", "support"));
            String theirKey = there.createKey("backend", grant("assume_role", false, true)).get("key").asText();

            Reply reply = Http.postJson(assumeUrl(there), theirKey, user("configured-user", null, null));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("role").asText()).isEqualTo("support");
            JsonNode claims = RealmJwt.verified(admin, there.realm, reply.json().get("token").asText());
            assertThat(RealmJwt.lifetime(claims)).isEqualTo(600);
            assertThat(claims.get("azp").asText()).isEqualTo("support-widget");
            assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("support");
            assertThat(admin.client(there.realm, "chat-widget")).isNull();
        }

        @Test
        @DisplayName("given a first call then 200, and the public client (full scope off, mapped to chat) and the role now exist")
        void createsClientAndRole() {
            OrgFixture there = freshRealm(Map.of());
            String realm = there.realm;
            assertThat(admin.client(realm, "chat-widget")).isNull();
            assertThat(Http.get(admin.url(realm, "/roles/chat"), admin.token()).status()).isEqualTo(404);
            JsonNode created = there.createKey("backend", grant("assume_role", false, true));

            Reply reply = Http.postJson(assumeUrl(there), created.get("key").asText(), user("fresh-user", "fresh@customer.example", "Fresh"));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode claims = RealmJwt.verified(admin, realm, reply.json().get("token").asText());
            assertThat(claims.get("iss").asText()).isEqualTo(RealmJwt.issuer(admin, realm));
            assertThat(claims.get("azp").asText()).isEqualTo("chat-widget");
            assertThat(claims.at("/realm_access/roles")).extracting(JsonNode::asText).containsExactly("chat");
            assertThat(claims.at("/act/sub").asText()).isEqualTo(created.get("id").asText());
            JsonNode client = admin.client(realm, "chat-widget");
            assertThat(client).isNotNull();
            assertThat(client.get("publicClient").asBoolean()).isTrue();
            assertThat(client.get("fullScopeAllowed").asBoolean()).isFalse();
            assertThat(Http.get(admin.url(realm, "/roles/chat"), admin.token()).status()).isEqualTo(200);
            JsonNode mapped = Http.get(admin.url(realm, "/clients/" + client.get("id").asText() + "/scope-mappings/realm"), admin.token()).json();
            assertThat(mapped.findValuesAsText("name")).containsExactly("chat");
            assertThat(admin.organizationGroups(realm, there.orgId)).containsKey("Default");

            Reply again = Http.postJson(assumeUrl(there), created.get("key").asText(), user("fresh-user", null, null));
            assertThat(again.status()).isEqualTo(200);
            assertThat(RealmJwt.verified(admin, realm, again.json().get("token").asText()).get("sub").asText())
                    .isEqualTo(claims.get("sub").asText());
        }
    }
}
