package ai.intellia.keycloak.bench;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Everything the scenarios need, prepared through the public REST APIs only (as the integration
 * tests' OrgFixture does): Keycloak's admin API for organizations, users and group membership, our
 * organization API for keys (as an Owner, token from the password grant), our assume-role call
 * for end users.
 */
final class Fixture {

    static final String REALM = "intellia";
    static final String RS_CLIENT = "intellia-api";
    static final String RS_SECRET = "intellia-api-secret";
    /** The shipped realm's demo organization and Owner. */
    static final String DEMO_ORG = "acme";
    static final String DEMO_OWNER = "owner@acme.example";
    static final String DEMO_OWNER_PASSWORD = "owner";
    static final String PORTAL_CLIENT = "intellia-portal";
    /** Public client with the password grant and an audience mapper to intellia-api: KI's access token. */
    static final String LOGIN_CLIENT = "bench-login";
    /** End users that AR reuses (provisioned before the measurement). */
    static final int AR_USERS = 20;
    /** AKG's guard rails (contract 8): AKG introspects with client_ip=127.0.0.1, inside the first range. */
    static final List<String> GUARDED_CIDRS = List.of("127.0.0.0/8", "2001:db8::/32");
    /** The highest limit the contract allows: never reached, so AKG measures the cost of the check only. */
    static final String GUARDED_INTROSPECT_LIMIT = "1000000/s";

    /** HTTP/1.1 keep-alive for the 100,000 key creations (no h2c upgrade, no HTTP/2 GOAWAY mid-setup). */
    private static final HttpClient HTTP1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    final AdminClient admin;
    final String baseUrl;
    String orgId;
    String key;
    /** AKG's key: the same permissions as {@link #key}, with an allow-list and an introspection limit never reached. */
    String guardedKey;
    /** An assume-role token (aud intellia-api, 2 h). */
    String assumeRoleToken;

    Fixture(AdminClient admin) {
        this.admin = admin;
        this.baseUrl = admin.baseUrl();
    }

    /** The demo organization, one key with agents:read and assume_role:write, the AR end users, a token for KI. */
    void prepareBase() {
        JsonNode acme = admin.organizationByAlias(REALM, DEMO_ORG);
        if (acme == null) {
            throw new IllegalStateException("the shipped realm has no organization " + DEMO_ORG);
        }
        orgId = acme.get("id").asText();
        String owner = admin.userToken(REALM, PORTAL_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);
        Map<String, Object> permissions = Map.of("agents", Map.of("read", true), "assume_role", Map.of("write", true));
        key = createKey(orgId, owner, "bench main key", permissions);
        guardedKey = createKey(orgId, owner, Map.of("description", "bench guarded key", "permissions", permissions,
                "allowedCidrs", GUARDED_CIDRS, "rateLimits", Map.of("introspect", GUARDED_INTROSPECT_LIMIT)));
        for (int i = 0; i < AR_USERS; i++) {
            Reply r = Http.postJson(assumeRoleUrl(orgId), key, arBody("bench-ar-" + i));
            expect(200, r);
            if (i == 0) {
                assumeRoleToken = r.json().get("token").asText();
            }
        }
        if (admin.client(REALM, LOGIN_CLIENT) == null) {
            admin.createClient(REALM, Map.of("clientId", LOGIN_CLIENT, "publicClient", true, "standardFlowEnabled", false,
                    "directAccessGrantsEnabled", true, "protocolMappers", List.of(Map.of(
                            "name", "audience intellia-api", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                            "config", Map.of("included.client.audience", RS_CLIENT, "access.token.claim", "true",
                                    "introspection.token.claim", "true")))));
        }
    }

    /**
     * A fresh access token of the demo Owner from a normal login (password grant, an SSO session),
     * with intellia-api in its audience, so that Keycloak's introspection by intellia-api says active.
     */
    String loginToken() {
        return admin.userToken(REALM, LOGIN_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);
    }

    String assumeRoleUrl(String org) {
        return baseUrl + "/realms/" + REALM + "/orgs/" + org + "/assume-role";
    }

    static String arBody(String userId) {
        return "{\"userId\":\"" + userId + "\",\"userEmail\":\"" + userId + "@bench.example\",\"userName\":\"Bench " + userId + "\"}";
    }

    String createKey(String org, String ownerToken, String description, Map<String, Object> permissions) {
        return createKey(org, ownerToken, Map.of("description", description, "permissions", permissions));
    }

    /** A key with any create body (contract 5; guard rails of contract 8). */
    String createKey(String org, String ownerToken, Map<String, Object> createBody) {
        return create(org, ownerToken, createBody).get("key").asText();
    }

    /** The id of a new key (what a revoke needs). */
    String createKeyId(String org, String ownerToken, Map<String, Object> createBody) {
        return create(org, ownerToken, createBody).get("id").asText();
    }

    String keyUrl(String org, String keyId) {
        return baseUrl + "/realms/" + REALM + "/orgs/" + org + "/api-keys/" + keyId;
    }

    /** Organization {@code org}'s Owner token, renewed when it is older than a minute (access tokens live 5). */
    java.util.function.Supplier<String> ownerTokens(String ownerUsername) {
        return new java.util.function.Supplier<>() {
            private String token;
            private long fetchedAt;

            @Override
            public synchronized String get() {
                if (token == null || System.nanoTime() - fetchedAt > 60_000_000_000L) {
                    token = retry(() -> admin.userToken(REALM, PORTAL_CLIENT, ownerUsername, "pw"));
                    fetchedAt = System.nanoTime();
                }
                return token;
            }
        };
    }

    private JsonNode create(String org, String ownerToken, Map<String, Object> createBody) {
        String body;
        try {
            body = Http.JSON.writeValueAsString(createBody);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + REALM + "/orgs/" + org + "/api-keys"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ownerToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // A connection failure before the answer is retried (at worst the organization gets one extra key).
        return retry(() -> {
            try {
                HttpResponse<String> r = HTTP1.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("expected 201 but got " + r.statusCode() + " " + r.body());
                }
                return Http.JSON.readTree(r.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Up to 3 attempts when the connection fails (not when the server answers). */
    static <T> T retry(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** An organization of the scale test and its Owner (a member in its Owners group). */
    record ScaleOrg(String id, String ownerUsername) {
    }

    /**
     * {@code count} organizations, each with its own Owner, created {@code parallel} at a time
     * through the admin REST API.
     */
    List<ScaleOrg> createOrganizations(String tag, int count, int parallel) {
        return parallel(count, parallel, i -> retryOrganization(tag, i));
    }

    /** One organization; a connection failure starts over with fresh names (the half-made one is left behind). */
    private ScaleOrg retryOrganization(String tag, int i) {
        for (int attempt = 0; ; attempt++) {
            try {
                return createOrganization(tag + (attempt == 0 ? "" : "r" + attempt), i);
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    private ScaleOrg createOrganization(String tag, int i) {
        {
            String alias = "bench-" + tag + "-" + i;
            String id = admin.createOrganization(REALM, "Bench " + tag + " " + i, alias, alias + ".bench.example");
            String username = "bench-owner-" + tag + "-" + i;
            String userId = admin.createUser(REALM, username, username + "@" + alias + ".bench.example", "pw", true);
            admin.addMember(REALM, id, userId);
            admin.addToOrganizationGroup(REALM, id, admin.organizationGroup(REALM, id, "Owners"), userId);
            return new ScaleOrg(id, username);
        }
    }

    /** {@code perOrg} keys in each organization, by its Owner through our organization API. */
    List<String> createKeys(List<ScaleOrg> orgs, int perOrg, int parallel) {
        List<List<String>> perOrgKeys = parallel(orgs.size(), parallel, i -> {
            ScaleOrg org = orgs.get(i);
            String owner = retry(() -> admin.userToken(REALM, PORTAL_CLIENT, org.ownerUsername(), "pw"));
            List<String> keys = new ArrayList<>(perOrg);
            for (int k = 0; k < perOrg; k++) {
                keys.add(createKey(org.id(), owner, "bench " + k, Map.of("agents", Map.of("read", true))));
            }
            return keys;
        });
        List<String> all = new ArrayList<>(orgs.size() * perOrg);
        perOrgKeys.forEach(all::addAll);
        return all;
    }

    interface Task<T> {
        T run(int index);
    }

    /** Runs {@code task(0..count-1)} on {@code parallel} threads; answers the results in index order. */
    static <T> List<T> parallel(int count, int parallel, Task<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<T>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.run(index)));
            }
            List<T> results = new ArrayList<>(count);
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.MINUTES));
            }
            return Collections.unmodifiableList(results);
        } catch (ExecutionException e) {
            throw new IllegalStateException("setup failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("setup failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    static Reply expect(int status, Reply reply) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + " but got " + reply);
        }
        return reply;
    }
}
