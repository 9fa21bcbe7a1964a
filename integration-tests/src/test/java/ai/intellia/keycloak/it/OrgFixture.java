package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh organization in a realm, with an Owner, an Admin and a plain member (each with an
 * access token), plus the confidential client that resource servers introspect with.
 */
final class OrgFixture {

    static final String REALM = "intellia";
    static final String RS_CLIENT = "intellia-api";
    static final String RS_SECRET = "intellia-api-secret";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final AdminClient admin;
    final String realm;
    final String orgId;
    final String alias;
    final String ownerId;
    final String adminId;
    final String memberId;
    final String ownerToken;
    final String adminToken;
    final String memberToken;

    private OrgFixture(AdminClient admin, String realm) {
        this.admin = admin;
        this.realm = realm;
        String n = "o" + System.nanoTime() % 1_000_000_000L + "-" + SEQUENCE.incrementAndGet();
        this.alias = n;
        this.orgId = admin.createOrganization(realm, "Org " + n, n, n + ".example");
        this.ownerId = member("owner-" + n, n);
        this.adminId = member("admin-" + n, n);
        this.memberId = member("member-" + n, n);
        admin.addToOrganizationGroup(realm, orgId, admin.organizationGroup(realm, orgId, "Owners"), ownerId);
        admin.addToOrganizationGroup(realm, orgId, admin.organizationGroup(realm, orgId, "Admins"), adminId);
        this.ownerToken = admin.userToken(realm, "owner-" + n, "pw");
        this.adminToken = admin.userToken(realm, "admin-" + n, "pw");
        this.memberToken = admin.userToken(realm, "member-" + n, "pw");
    }

    static OrgFixture create(AdminClient admin) {
        return new OrgFixture(admin, REALM);
    }

    static OrgFixture create(AdminClient admin, String realm) {
        return new OrgFixture(admin, realm);
    }

    private String member(String username, String n) {
        String id = admin.createUser(realm, username, username + "@" + n + ".example", "pw", true);
        admin.addMember(realm, orgId, id);
        return id;
    }

    String orgUrl() {
        return admin.baseUrl() + "/realms/" + realm + "/orgs/" + orgId;
    }

    String keysUrl() {
        return orgUrl() + "/api-keys";
    }

    /** Creates a key as the Owner; answers the 201 body (with {@code key}). */
    JsonNode createKey(Object body) {
        Reply reply = Http.postJson(keysUrl(), ownerToken, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    JsonNode createKey(String description, Map<String, Object> permissions) {
        return createKey(Map.of("description", description, "permissions", permissions));
    }

    static Map<String, Object> grant(String resource, boolean read, boolean write) {
        return Map.of(resource, Map.of("read", read, "write", write));
    }

    /** RFC 7662 introspection of an API key, as the realm's resource-server client. */
    Reply introspect(String key) {
        return Http.postForm(admin.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token/introspect", null,
                Map.of("token", key, "token_type_hint", "api_key", "client_id", RS_CLIENT, "client_secret", RS_SECRET));
    }

    /** Whether introspection answers active; an inactive answer must be exactly {@code {"active":false}}. */
    boolean isActive(String key) {
        Reply reply = introspect(key);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        boolean active = reply.json().path("active").asBoolean();
        if (!active) {
            Refusals.assertInactive(reply);
        }
        return active;
    }
}
