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

import java.util.LinkedHashMap;
import java.util.Map;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract section 5: states that stop minting (an end user an admin disabled or removed, a
 * disabled organization), asserted emails that never block another account, and the explicit cap
 * on an organization's keys (section 7 of the README).
 */
@ExtendWith(KeycloakExtension.class)
class MintingRefusalsIT {

    private final AdminClient admin;
    private OrgFixture org;
    private String key;

    MintingRefusalsIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganizationWithAnAssumeRoleKey() {
        org = OrgFixture.create(admin);
        key = org.createKey("chat backend", grant("assume_role", false, true)).get("key").asText();
    }

    private Reply assume(String bearer, Map<String, Object> body) {
        return Http.postJson(org.orgUrl() + "/assume-role", bearer, body);
    }

    /** The end user's Keycloak id after a first successful call. */
    private String provisioned(String userId, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        if (email != null) {
            body.put("userEmail", email);
        }
        Reply reply = assume(key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return RealmJwt.verified(admin, org.realm, reply.json().get("token").asText()).get("sub").asText();
    }

    private Reply exchangeFor(String userId) {
        return Http.postForm(admin.tokenUrl(org.realm), null, Map.of(
                "grant_type", TokenExchangeIT.GRANT, "subject_token", key, "subject_token_type", TokenExchangeIT.API_KEY_TYPE,
                "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET, "requested_subject", userId));
    }

    private JsonNode user(String id) {
        return Http.get(admin.url(org.realm, "/users/" + id), admin.token()).json();
    }

    @Nested
    @DisplayName("an end user an admin changed")
    class ChangedEndUser {

        @Test
        @DisplayName("given an admin disabled the end user then assume-role and the exchange answer 403, and the account stays disabled")
        void disabled() {
            String userId = "disabled-" + System.nanoTime();
            String sub = provisioned(userId, null);
            ObjectNode rep = (ObjectNode) user(sub);
            rep.put("enabled", false);
            assertThat(Http.putJson(admin.url(org.realm, "/users/" + sub), admin.token(), rep).status()).isEqualTo(204);

            Reply rest = assume(key, Map.of("userId", userId));
            Reply exchange = exchangeFor(userId);

            Refusals.assertRefused(rest, 403, "end_user_disabled");
            Refusals.assertRefused(exchange, 403, "access_denied");
            assertThat(user(sub).get("enabled").asBoolean()).isFalse();
        }

        @Test
        @DisplayName("given an admin removed the end user from the organization then 403, and they are not added back")
        void removedFromOrganization() {
            String userId = "removed-" + System.nanoTime();
            String sub = provisioned(userId, null);
            Reply removed = Http.delete(admin.url(org.realm, "/organizations/" + org.orgId + "/members/" + sub), admin.token());
            assertThat(removed.status()).as(removed.toString()).isEqualTo(204);

            Reply rest = assume(key, Map.of("userId", userId));
            Reply exchange = exchangeFor(userId);

            Refusals.assertRefused(rest, 403, "end_user_disabled");
            Refusals.assertRefused(exchange, 403, "access_denied");
            assertThat(admin.members(org.realm, org.orgId).findValuesAsText("id")).doesNotContain(sub);
        }
    }

    @Nested
    @DisplayName("a disabled organization")
    class DisabledOrganization {

        @Test
        @DisplayName("given the organization is disabled then its Owner mints nothing and creates no key (403), its key is refused")
        void mintsNothing() {
            String orgUrl = admin.url(org.realm, "/organizations/" + org.orgId);
            ObjectNode rep = (ObjectNode) Http.get(orgUrl, admin.token()).json();
            rep.put("enabled", false);
            assertThat(Http.putJson(orgUrl, admin.token(), rep).status()).isEqualTo(204);

            Reply owner = assume(org.ownerToken, Map.of("userId", "by-owner"));
            Reply create = Http.postJson(org.keysUrl(), org.ownerToken, Map.of("description", "new", "permissions", grant("agents", true, false)));
            Reply byKey = assume(key, Map.of("userId", "by-key"));

            Refusals.assertRefused(owner, 403, "organization_disabled");
            Refusals.assertRefused(create, 403, "organization_disabled");
            Refusals.assertRefused(byKey, 401, "invalid_token"); // a disabled organization's keys do not verify
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).hasSize(1); // listing still works, nothing was created
        }
    }

    @Nested
    @DisplayName("asserted emails")
    class AssertedEmails {

        @Test
        @DisplayName("given an end user asserted an unused address then an admin can still create a realm user with it, and the token carries it")
        void neverBlockAnotherAccount() {
            String email = "squat-" + System.nanoTime() + "@victim.example";
            Reply reply = assume(key, Map.of("userId", "squatter-" + System.nanoTime(), "userEmail", email));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode claims = RealmJwt.verified(admin, org.realm, reply.json().get("token").asText());
            assertThat(claims.get("email").asText()).isEqualTo(email);
            assertThat(claims.path("email_verified").asBoolean(false)).isFalse();

            Map<String, Object> real = new LinkedHashMap<>();
            real.put("username", "real-" + System.nanoTime());
            real.put("email", email);
            real.put("firstName", "Real");
            real.put("lastName", "Person");
            real.put("enabled", true);
            Reply created = Http.postJson(admin.url(org.realm, "/users"), admin.token(), real);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);

            // and the end user keeps minting with that address in the claim
            Reply again = assume(key, Map.of("userId", claims.get("user_id").asText(), "userEmail", email));
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(RealmJwt.verified(admin, org.realm, again.json().get("token").asText()).get("email").asText()).isEqualTo(email);
        }

        @Test
        @DisplayName("given an end user asserted an address then an existing user can still change their email to it")
        void existingUserCanTakeIt() {
            String email = "taken-later-" + System.nanoTime() + "@victim.example";
            provisioned("early-" + System.nanoTime(), email);
            String id = admin.createUser(org.realm, "late-" + System.nanoTime(), "before-" + System.nanoTime() + "@victim.example", "pw", true);
            ObjectNode rep = (ObjectNode) user(id);
            rep.put("email", email);

            Reply changed = Http.putJson(admin.url(org.realm, "/users/" + id), admin.token(), rep);

            assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
            assertThat(user(id).get("email").asText()).isEqualTo(email);
        }
    }

    @Nested
    @DisplayName("asserted emails and self-registration")
    class SelfRegistration {

        @Test
        @DisplayName("given an end user asserted an address then a person can still register with it through Keycloak's form")
        void registrationStillWorks() throws Exception {
            String realm = "register-" + System.nanoTime();
            admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true, "registrationAllowed", true));
            OrgFixture there = OrgFixture.create(admin, realm);
            String thereKey = there.createKey("backend", grant("assume_role", false, true)).get("key").asText();
            String redirect = admin.baseUrl() + "/callback";
            admin.createClient(realm, Map.of("clientId", "signup", "publicClient", true, "standardFlowEnabled", true,
                    "redirectUris", java.util.List.of(redirect)));
            String email = "signup-" + System.nanoTime() + "@victim.example";
            Reply squat = Http.postJson(there.orgUrl() + "/assume-role", thereKey, Map.of("userId", "squatter", "userEmail", email));
            assertThat(squat.status()).as(squat.toString()).isEqualTo(200);

            Reply registered = Registration.register(admin.baseUrl(), realm, "signup", redirect, Map.of(
                    "username", "person-" + System.nanoTime(), "email", email, "firstName", "Real", "lastName", "Person",
                    "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

            assertThat(registered.status()).as(registered.body()).isEqualTo(302);
            assertThat(registered.header("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(redirect));
        }
    }

    @Nested
    @DisplayName("the cap on an organization's keys")
    class KeyCap {

        @Test
        @DisplayName("given the cap is 2 then the third key is 409 key_limit_reached; revoking one makes room; rotation is not capped")
        void capIsExplicit() {
            String realm = "cap-" + System.nanoTime();
            admin.createRealm(Map.of("realm", realm, "enabled", true, "organizationsEnabled", true));
            OrgFixture capped = OrgFixture.create(admin, realm);
            Reply put = Http.putJson(admin.url(realm, "/api-keys/settings"), admin.token(), Map.of("maxKeysPerOrganization", 2));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            JsonNode first = capped.createKey("one", grant("agents", true, false));
            capped.createKey("two", grant("agents", true, false));

            Reply third = Http.postJson(capped.keysUrl(), capped.ownerToken, Map.of("description", "three", "permissions", grant("agents", true, false)));

            Refusals.assertRefused(third, 409, "key_limit_reached");
            assertThat(Http.get(capped.keysUrl(), capped.ownerToken).json()).hasSize(2);
            Reply rotated = Http.postJson(capped.keysUrl() + "/" + first.get("id").asText() + "/rotate", capped.ownerToken, Map.of());
            assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
            assertThat(Http.delete(capped.keysUrl() + "/" + rotated.json().get("id").asText(), capped.ownerToken).status()).isEqualTo(204);
            capped.createKey("three", grant("agents", true, false));
        }
    }
}
