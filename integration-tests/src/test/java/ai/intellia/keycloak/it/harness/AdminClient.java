package ai.intellia.keycloak.it.harness;

import static ai.intellia.keycloak.it.harness.Http.encode;

import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Keycloak's admin REST API as the bootstrap admin (master realm, {@code admin-cli}), for test setup.
 * Helpers fail with the server's answer when the status is not the expected one; for asserting on
 * statuses use {@link Http} with {@link #token()}.
 */
public final class AdminClient {

    /** Public client with direct access grants that {@link #ensureTestClient} creates. */
    public static final String TEST_CLIENT = "it-cli";

    private final KeycloakServer server;
    private String token;
    private Instant tokenExpiry = Instant.EPOCH;

    public AdminClient(KeycloakServer server) {
        this.server = server;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** {@code {kc}/admin/realms/{realm}} + path. */
    public String url(String realm, String path) {
        return server.baseUrl() + "/admin/realms/" + realm + path;
    }

    /** A valid admin access token (renewed 30 s before it expires). */
    public synchronized String token() {
        if (Instant.now().isAfter(tokenExpiry.minusSeconds(30))) {
            JsonNode reply = passwordGrant("master", "admin-cli", server.adminUsername(), server.adminPassword());
            token = reply.get("access_token").asText();
            tokenExpiry = Instant.now().plusSeconds(reply.get("expires_in").asLong());
        }
        return token;
    }

    // --- realms --------------------------------------------------------------------------------

    /** {@code realm}: a RealmRepresentation (JSON string or anything Jackson serializes). */
    public void createRealm(Object realm) {
        expect(201, Http.postJson(server.baseUrl() + "/admin/realms", token(), realm));
    }

    /** Removes a realm a test created for itself, and everything in it. */
    public void deleteRealm(String realm) {
        expect(204, Http.delete(url(realm, ""), token()));
    }

    public JsonNode realm(String realm) {
        return expect(200, get(url(realm, ""))).json();
    }

    public void updateRealm(String realm, Object partialRepresentation) {
        expect(204, Http.putJson(url(realm, ""), token(), partialRepresentation));
    }

    public void enableOrganizations(String realm) {
        updateRealm(realm, Map.of("organizationsEnabled", true));
    }

    // --- organizations -------------------------------------------------------------------------

    /** Creates an organization (with the given domains, if any) and answers its id. */
    public String createOrganization(String realm, String name, String alias, String... domains) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", name);
        rep.put("alias", alias);
        rep.put("domains", List.of(domains).stream().map(d -> Map.of("name", d)).toList());
        return idFromLocation(expect(201, Http.postJson(url(realm, "/organizations"), token(), rep)));
    }

    /** The organization with this alias, or null. */
    public JsonNode organizationByAlias(String realm, String alias) {
        for (JsonNode org : expect(200, get(url(realm, "/organizations?briefRepresentation=false&max=1000"))).json()) {
            if (alias.equals(org.path("alias").asText())) {
                return org;
            }
        }
        return null;
    }

    public void addMember(String realm, String orgId, String userId) {
        expect(201, Http.postJson(url(realm, "/organizations/" + orgId + "/members"), token(), "\"" + userId + "\""));
    }

    public JsonNode members(String realm, String orgId) {
        return expect(200, get(url(realm, "/organizations/" + orgId + "/members"))).json();
    }

    /** Top-level organization groups, by name. */
    public Map<String, String> organizationGroups(String realm, String orgId) {
        JsonNode groups = expect(200, get(url(realm, "/organizations/" + orgId + "/groups?briefRepresentation=true"))).json();
        return StreamSupport.stream(groups.spliterator(), false)
                .collect(Collectors.toMap(g -> g.get("name").asText(), g -> g.get("id").asText()));
    }

    /** Creates a top-level organization group and answers its id. */
    public String createOrganizationGroup(String realm, String orgId, String name) {
        return idFromLocation(expect(201,
                Http.postJson(url(realm, "/organizations/" + orgId + "/groups"), token(), Map.of("name", name))));
    }

    /** The id of the organization group {@code name}, created when missing. */
    public String organizationGroup(String realm, String orgId, String name) {
        String id = organizationGroups(realm, orgId).get(name);
        return id != null ? id : createOrganizationGroup(realm, orgId, name);
    }

    /** Puts a member of the organization into one of its groups. */
    public void addToOrganizationGroup(String realm, String orgId, String groupId, String userId) {
        expect(204, Http.putJson(url(realm, "/organizations/" + orgId + "/groups/" + groupId + "/members/" + userId), token(), null));
    }

    public JsonNode organizationGroupMembers(String realm, String orgId, String groupId) {
        return expect(200, get(url(realm, "/organizations/" + orgId + "/groups/" + groupId + "/members"))).json();
    }

    /**
     * Adds a user to a realm group: {@code PUT /users/{id}/groups/{groupId}}. Keycloak 26.7 refuses
     * this for organization groups (400 "Cannot access organization related group via non
     * Organization API."): use {@link #addToOrganizationGroup}.
     */
    public void addToGroup(String realm, String userId, String groupId) {
        expect(204, Http.putJson(url(realm, "/users/" + userId + "/groups/" + groupId), token(), null));
    }

    // --- users ---------------------------------------------------------------------------------

    /** Creates a user (first/last name set, so the profile is complete) and answers the id. */
    public String createUser(String realm, String username, String email, String password, boolean enabled) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("username", username);
        rep.put("email", email);
        rep.put("emailVerified", true);
        rep.put("firstName", username);
        rep.put("lastName", "Test");
        rep.put("enabled", enabled);
        rep.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        return idFromLocation(expect(201, Http.postJson(url(realm, "/users"), token(), rep)));
    }

    /** Users whose username is exactly this one (0 or 1 elements). */
    public JsonNode usersByUsername(String realm, String username) {
        return expect(200, get(url(realm, "/users?exact=true&username=" + encode(username)))).json();
    }

    public String userId(String realm, String username) {
        JsonNode users = usersByUsername(realm, username);
        if (users.isEmpty()) {
            throw new AssertionError("no user " + username + " in realm " + realm);
        }
        return users.get(0).get("id").asText();
    }

    // --- clients -------------------------------------------------------------------------------

    /** {@code client}: a ClientRepresentation; answers the client's internal id. */
    public String createClient(String realm, Object client) {
        return idFromLocation(expect(201, Http.postJson(url(realm, "/clients"), token(), client)));
    }

    /** The client with this clientId, or null. */
    public JsonNode client(String realm, String clientId) {
        JsonNode clients = expect(200, get(url(realm, "/clients?clientId=" + encode(clientId)))).json();
        return clients.isEmpty() ? null : clients.get(0);
    }

    /** Creates the public client {@value #TEST_CLIENT} with direct access grants, if missing. */
    public synchronized void ensureTestClient(String realm) {
        if (client(realm, TEST_CLIENT) == null) {
            createClient(realm, Map.of("clientId", TEST_CLIENT, "publicClient", true,
                    "standardFlowEnabled", false, "directAccessGrantsEnabled", true));
        }
    }

    // --- tokens --------------------------------------------------------------------------------

    /** A user's access token through the password grant of {@code clientId} (a public client). */
    public String userToken(String realm, String clientId, String username, String password) {
        return passwordGrant(realm, clientId, username, password).get("access_token").asText();
    }

    /** A user's access token through {@value #TEST_CLIENT} (created when missing). */
    public String userToken(String realm, String username, String password) {
        ensureTestClient(realm);
        return userToken(realm, TEST_CLIENT, username, password);
    }

    /** The raw token endpoint answer of a password grant (must be 200). */
    public JsonNode passwordGrant(String realm, String clientId, String username, String password) {
        return expect(200, Http.postForm(tokenUrl(realm), null, Map.of("grant_type", "password",
                "client_id", clientId, "username", username, "password", password))).json();
    }

    public String tokenUrl(String realm) {
        return server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    // --- events --------------------------------------------------------------------------------

    /** User events, newest first; {@code query} e.g. {@code "type=TOKEN_EXCHANGE&max=10"} (may be empty). */
    public JsonNode events(String realm, String query) {
        return expect(200, get(url(realm, "/events" + (query.isEmpty() ? "" : "?" + query)))).json();
    }

    /** Admin events, newest first; {@code query} e.g. {@code "operationTypes=CREATE"} (may be empty). */
    public JsonNode adminEvents(String realm, String query) {
        return expect(200, get(url(realm, "/admin-events" + (query.isEmpty() ? "" : "?" + query)))).json();
    }

    // -------------------------------------------------------------------------------------------

    private Reply get(String url) {
        return Http.get(url, token());
    }

    private static Reply expect(int status, Reply reply) {
        if (reply.status() != status) {
            throw new AssertionError("expected " + status + " but got " + reply);
        }
        return reply;
    }

    private static String idFromLocation(Reply reply) {
        String location = reply.header("Location").orElseThrow(() -> new AssertionError("no Location: " + reply));
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
