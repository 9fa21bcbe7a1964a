package ai.intellia.keycloak.it;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import ai.intellia.keycloak.it.harness.KeycloakServer;
import ai.intellia.keycloak.it.harness.RawHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input over every endpoint: a generated, seeded run of malformed requests
 * ({@code -Dhostile.seed=N} to replay another one), then the defects it found, one by one.
 * Every generated request is malformed so that nothing may be written; the known limits of
 * Keycloak itself (README, "Known limits") are not generated but checked to still be Keycloak's.
 */
@ExtendWith(KeycloakExtension.class)
class HostileInputIT {

    private static final int REQUESTS = 600;
    private static final long SEED = Long.getLong("hostile.seed", 20261202L);
    /** What must never reach a client: stack frames, exception and Java class names. */
    private static final Pattern LEAK = Pattern.compile(
            "\\tat |Exception|\\bjava\\.|\\bjakarta\\.|org\\.keycloak\\.|org\\.jboss|io\\.quarkus|io\\.vertx|ai\\.intellia|com\\.fasterxml|org\\.hibernate|Caused by");
    private static final String REALM = OrgFixture.REALM;
    /** The HTTP layer's ERROR for a Host it cannot parse (answered 400): Known limits. */
    private static final String UNPARSABLE_HOST = "For HTTP/1.x requests, the 'Host' header is required";
    /**
     * Keycloak's ERROR for HTTP Basic client credentials with a bad %-escape (answered 400
     * {@code unauthorized_client}): Known limits. A generated {@code Basic <token>} decodes to
     * random bytes, so whether a run meets it depends on the run's tokens.
     */
    private static final Pattern BASIC_BAD_ESCAPE = Pattern.compile("KC-SERVICES0015: .*URLDecoder: Illegal hex characters in escape");
    private static final String KEY_TYPE = "urn:intellia:params:oauth:token-type:api-key";

    private final KeycloakServer server;
    private final AdminClient admin;
    private OrgFixture org;
    private String key;
    private String revokedId;

    HostileInputIT(KeycloakServer server, AdminClient admin) {
        this.server = server;
        this.admin = admin;
    }

    @BeforeEach
    void organizationWithKeys() {
        org = OrgFixture.create(admin);
        JsonNode created = org.createKey("hostile", Map.of("assume_role", Map.of("read", false, "write", true),
                "agents", Map.of("read", true, "write", false)));
        key = created.get("key").asText();
        revokedId = org.createKey("revoked", grant("agents", true, false)).get("id").asText();
        assertThat(Http.delete(org.keysUrl() + "/" + revokedId, org.ownerToken).status()).isEqualTo(204);
    }

    // --- the generated run ---------------------------------------------------------------------

    @Test
    @DisplayName("given 600 generated malformed requests then no 5xx, no stack trace or class name, nothing written, no ERROR logged")
    void generatedRun() throws IOException {
        Map<String, Object> before = counts();
        long logOffset = Files.size(server.log());
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new java.util.TreeMap<>();

        for (int i = 0; i < REQUESTS; i++) {
            Probe probe = generate(random);
            RawHttp.Reply reply;
            try {
                reply = RawHttp.send(server.baseUrl(), probe.head(), probe.body());
            } catch (RuntimeException e) {
                failures.add("#" + i + " " + probe.label() + ": no answer (" + e + ")");
                continue;
            }
            statuses.merge(reply.status() / 100 + "xx", 1, Integer::sum);
            if (reply.status() >= 500) {
                failures.add("#" + i + " " + probe.label() + ": " + reply.status() + " " + abbreviate(reply.body()));
            } else if (LEAK.matcher(reply.body()).find()) {
                failures.add("#" + i + " " + probe.label() + ": leaks " + abbreviate(reply.body()));
            }
        }

        System.out.printf("[hostile] seed %d, %d requests: %s%n", SEED, REQUESTS, statuses);
        assertThat(failures).as("seed " + SEED).isEmpty();
        assertThat(counts()).as("counts before and after").isEqualTo(before);
        String log = new String(Files.readAllBytes(server.log()), StandardCharsets.UTF_8).substring((int) Math.min(logOffset, Files.size(server.log())));
        assertThat(log.lines().filter(l -> l.contains(" ERROR ") && !l.contains(UNPARSABLE_HOST) && !BASIC_BAD_ESCAPE.matcher(l).find()).toList())
                .as("server log ERRORs during the run").isEmpty();
    }

    // --- what the generated run found, one by one -----------------------------------------------

    @Test
    @DisplayName("given a malformed Content-Type on key creation, assume-role and the other endpoints then 415 JSON with the security headers, nothing written")
    void malformedContentTypes() {
        Map<String, Object> before = counts();
        String orgPath = "/realms/" + REALM + "/orgs/" + org.orgId;
        String[] types = {"application/", "/", "json", ";", "", "application/json, text/plain"};
        byte[][] bodies = {
                "{\"description\": \"ct\", \"permissions\": {\"agents\": {\"read\": true, \"write\": false}}}".getBytes(StandardCharsets.UTF_8),
                "{\"userId\": \"content-type-user\"}".getBytes(StandardCharsets.UTF_8)};
        String[][] targets = {{orgPath + "/api-keys", "Bearer " + org.ownerToken}, {orgPath + "/assume-role", "Bearer " + key}};
        for (String type : types) {
            for (int t = 0; t < targets.length; t++) {
                RawHttp.Reply reply = RawHttp.send(server.baseUrl(), "POST " + targets[t][0] + " HTTP/1.1\r\nHost: " + authority() + "\r\nAuthorization: "
                        + targets[t][1] + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bodies[t].length, bodies[t]);
                assertThat(reply.status()).as("[%s] at %s: %s", type, targets[t][0], reply.body()).isEqualTo(415);
                assertThat(reply.body()).contains("\"error\":\"unsupported_media_type\"");
                assertThat(reply.headers().toLowerCase()).contains("x-content-type-options: nosniff", "x-frame-options");
            }
        }
        // multipart/form-data with a well-formed multipart body: refused, never a write (a broken one: Known limits)
        byte[] multipart = "--x\r\nContent-Disposition: form-data; name=\"userId\"\r\n\r\nmultipart-user\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8);
        for (String[] target : targets) {
            RawHttp.Reply reply = RawHttp.send(server.baseUrl(), "POST " + target[0] + " HTTP/1.1\r\nHost: " + authority() + "\r\nAuthorization: "
                    + target[1] + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + multipart.length, multipart);
            assertThat(reply.status()).as("multipart at %s: %s", target[0], reply.body()).isBetween(400, 499);
            assertThat(reply.body()).contains("\"error\"");
        }
        for (String path : List.of(orgPath + "/api-keys", "/realms/" + REALM + "/orgs", "/admin/realms/" + REALM + "/api-keys/settings")) {
            String bearer = path.startsWith("/admin") ? admin.token() : org.ownerToken;
            RawHttp.Reply reply = RawHttp.send(server.baseUrl(), "GET " + path + " HTTP/1.1\r\nHost: " + authority() + "\r\nAuthorization: Bearer "
                    + bearer + "\r\nContent-Type: ;", null);
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(415);
        }
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    @DisplayName("given a userEmail that Keycloak would lower-case past 255 characters (İ) then 400")
    void emailLongerOnceLowerCased() {
        String email = "a@" + "\u0130".repeat(200) + ".example"; // 210 characters, 410 once lower-cased
        var reply = Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", "dotted-" + System.nanoTime(), "userEmail", email));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("given userIds that are not valid Unicode (lone surrogate, U+FFFD, invalid UTF-8) then 400, never the same user as '?' or U+FFFD")
    void identifiersThatAreNotUnicode() {
        String orgPath = "/realms/" + REALM + "/orgs/" + org.orgId + "/assume-role";
        List<byte[]> bodies = List.of(
                "{\"userId\": \"\\ud800\"}".getBytes(StandardCharsets.UTF_8),
                "{\"userId\": \"x\\udc00\"}".getBytes(StandardCharsets.UTF_8),
                "{\"userId\": \"\ufffd\"}".getBytes(StandardCharsets.UTF_8),
                concat(concat("{\"userId\": \"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF}), "\"}".getBytes(StandardCharsets.UTF_8)),
                concat(concat("{\"userId\": \"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                        "\"}".getBytes(StandardCharsets.UTF_8)));
        for (byte[] body : bodies) {
            RawHttp.Reply reply = RawHttp.send(server.baseUrl(), "POST " + orgPath + " HTTP/1.1\r\nHost: " + authority() + "\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length, body);
            assertThat(reply.status()).as(new String(body, StandardCharsets.ISO_8859_1) + ": " + reply.body()).isEqualTo(400);
        }
        var question = Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", "?"));
        assertThat(question.status()).as(question.toString()).isEqualTo(200);
    }

    /**
     * Keycloak's own, the same without our providers (README, "Known limits"): checked at
     * endpoints that have none of our code, so that the README is corrected when Keycloak
     * changes. Not generated in the run above.
     */
    @Test
    @DisplayName("known limits: a bad %-escape in a form, and a multipart body cut short, are still the framework's 500; one in Basic client credentials Keycloak's 400 with an ERROR logged")
    void knownLimitsAreKeycloaksOwn() throws IOException, InterruptedException {
        String token = "/realms/master/protocol/openid-connect/token";
        byte[] badEscape = "grant_type=password&client_id=%zz".getBytes(StandardCharsets.US_ASCII);
        RawHttp.Reply form = RawHttp.send(server.baseUrl(), "POST " + token + " HTTP/1.1\r\nHost: " + authority() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + badEscape.length, badEscape);
        assertThat(form.status()).as("`%zz` at the token endpoint (update README Known limits if this changed)").isEqualTo(500);
        byte[] cut = "{\"a\": 1}".getBytes(StandardCharsets.US_ASCII);
        RawHttp.Reply multipart = RawHttp.send(server.baseUrl(), "POST " + token + " HTTP/1.1\r\nHost: " + authority() + "\r\n"
                + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + cut.length, cut);
        assertThat(multipart.status()).as("a multipart body cut short (update README Known limits if this changed)").isEqualTo(500);
        long logOffset = Files.size(server.log());
        String credentials = java.util.Base64.getEncoder().encodeToString("%zz:secret".getBytes(StandardCharsets.US_ASCII));
        byte[] grant = "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII);
        RawHttp.Reply basic = RawHttp.send(server.baseUrl(), "POST " + token + " HTTP/1.1\r\nHost: " + authority() + "\r\nAuthorization: Basic "
                + credentials + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + grant.length, grant);
        assertThat(basic.status()).as("Basic credentials with a bad %-escape (update README Known limits if this changed)").isEqualTo(400);
        assertThat(basic.body()).contains("unauthorized_client");
        assertThat(loggedWithin(logOffset, BASIC_BAD_ESCAPE)).as("Keycloak's KC-SERVICES0015 ERROR for it").isTrue();
        for (RawHttp.Reply reply : List.of(form, multipart, basic)) {
            assertThat(LEAK.matcher(reply.body()).find()).as(reply.body()).isFalse();
        }
    }

    /** Whether the server log has a line matching {@code line} past {@code offset}, waiting up to 5 s for it. */
    private boolean loggedWithin(long offset, Pattern line) throws IOException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            byte[] log = Files.readAllBytes(server.log());
            String tail = new String(log, (int) Math.min(offset, log.length), log.length - (int) Math.min(offset, log.length), StandardCharsets.UTF_8);
            if (line.matcher(tail).find()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Keys, users, groups, clients and organizations of the realm; the fixture's keys and settings. */
    private Map<String, Object> counts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("users", Http.get(admin.url(REALM, "/users/count"), admin.token()).body());
        counts.put("groups", Http.get(admin.url(REALM, "/groups/count"), admin.token()).body());
        counts.put("clients", Http.get(admin.url(REALM, "/clients?first=0&max=10000"), admin.token()).json().size());
        counts.put("organizations", Http.get(admin.url(REALM, "/organizations?first=0&max=10000"), admin.token()).json().size());
        counts.put("organization groups", Http.get(admin.url(REALM, "/organizations/" + org.orgId + "/groups?max=1000"), admin.token()).json().size());
        counts.put("organization members", admin.members(REALM, org.orgId).size());
        counts.put("keys", Http.get(org.keysUrl() + "?max=1000", org.ownerToken).json().size());
        counts.put("realm keys", realmKeys());
        counts.put("settings", Http.get(admin.url(REALM, "/api-keys/settings"), admin.token()).body());
        return counts;
    }

    /** Every key of the shared realm, page by page: one page of 1000 would stop counting once the suite made more. */
    private int realmKeys() {
        int total = 0;
        for (int first = 0; ; first += 1000) {
            int page = Http.get(admin.url(REALM, "/api-keys?first=" + first + "&max=1000"), admin.token()).json().size();
            total += page;
            if (page < 1000) {
                return total;
            }
        }
    }

    private record Probe(String label, String head, byte[] body) {
    }

    private enum Kind { CREATE, ASSUME, ROTATE, SETTINGS, INTROSPECT, EXCHANGE, NONE }

    private enum Auth { OWNER, KEY, ADMIN, NONE }

    private record Target(String method, String path, Kind kind, Auth auth, boolean ours) {
    }

    private List<Target> targets() {
        String orgPath = "/realms/" + REALM + "/orgs/" + org.orgId;
        String oidc = "/realms/" + REALM + "/protocol/openid-connect";
        return List.of(
                new Target("POST", orgPath + "/api-keys", Kind.CREATE, Auth.OWNER, true),
                new Target("GET", orgPath + "/api-keys?first=0&max=5", Kind.NONE, Auth.OWNER, true),
                // ids of revoked keys only: a mutated method (DELETE) must not revoke a live key
                new Target("GET", orgPath + "/api-keys/" + revokedId, Kind.NONE, Auth.OWNER, true),
                new Target("DELETE", orgPath + "/api-keys/" + revokedId, Kind.NONE, Auth.OWNER, true),
                new Target("POST", orgPath + "/api-keys/" + revokedId + "/rotate", Kind.ROTATE, Auth.OWNER, true),
                new Target("POST", orgPath + "/assume-role", Kind.ASSUME, Auth.KEY, true),
                new Target("POST", orgPath + "/assume-role", Kind.ASSUME, Auth.OWNER, true),
                new Target("GET", "/realms/" + REALM + "/orgs", Kind.NONE, Auth.OWNER, true),
                new Target("GET", "/admin/realms/" + REALM + "/api-keys?organization=" + org.orgId, Kind.NONE, Auth.ADMIN, true),
                new Target("GET", "/admin/realms/" + REALM + "/api-keys/" + revokedId, Kind.NONE, Auth.ADMIN, true),
                new Target("PUT", "/admin/realms/" + REALM + "/api-keys/settings", Kind.SETTINGS, Auth.ADMIN, true),
                new Target("GET", "/realms/" + REALM + "/api-keys-console/", Kind.NONE, Auth.NONE, true),
                new Target("POST", oidc + "/token/introspect", Kind.INTROSPECT, Auth.NONE, false),
                new Target("POST", oidc + "/token", Kind.EXCHANGE, Auth.NONE, false));
    }

    private Probe generate(Random random) {
        List<Target> targets = targets();
        Target target = targets.get(random.nextInt(targets.size()));
        String method = target.method();
        String path = target.path();
        List<String> headers = new ArrayList<>();
        List<String> label = new ArrayList<>();
        byte[] body = body(target.kind(), random, label);
        String contentType = target.kind() == Kind.INTROSPECT || target.kind() == Kind.EXCHANGE
                ? "application/x-www-form-urlencoded" : body == null ? null : "application/json";
        String authorization = switch (target.auth()) {
            case OWNER -> "Bearer " + org.ownerToken;
            case KEY -> "Bearer " + key;
            case ADMIN -> "Bearer " + admin.token();
            case NONE -> null;
        };
        String host = authority(); // as in the tokens' issuer (hostname-strict=false derives it from Host)
        boolean chunked = false;
        boolean typeMutated = false;

        int mutations = 1 + random.nextInt(2);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(9)) {
                case 0 -> { // the Authorization header
                    String token = authorization == null ? key : authorization.substring("Bearer ".length());
                    String[] variants = {"bearer " + token, "BEARER " + token, "Bearer  " + token, "Bearer\t" + token, "Bearer" + token,
                            "Bearer", "Bearer ", "Basic " + token, "Bearer " + token + ", Bearer " + key, "Bearer " + token + " extra",
                            "Bearer " + "A".repeat(8192), "Bearer ik_" + "\u00e9\u202e".repeat(3)};
                    int v = random.nextInt(variants.length + 1);
                    if (v == variants.length) {
                        headers.add("Authorization: Bearer " + key); // a second one, below
                        label.add("two Authorization headers");
                    } else {
                        authorization = variants[v];
                        label.add("Authorization variant " + v);
                    }
                }
                case 1 -> { // 8 KiB of header
                    headers.add("X-Padding: " + "x".repeat(8192));
                    label.add("8 KiB header");
                }
                case 2 -> { // content types
                    if (target.ours()) {
                        String[] types = {"application/", "/", "json", ";", "", "application/json, text/plain", "application/json; charset=latin1",
                                "application/json; charset=x-unknown", "text/plain", "application/json;;", "APPLICATION/JSON", "application/json; q=\u00ff"};
                        contentType = types[random.nextInt(types.length)];
                    } else {
                        contentType = "application/x-www-form-urlencoded; charset=latin1";
                    }
                    typeMutated = true;
                    label.add("Content-Type [" + contentType + "]");
                }
                case 3 -> { // gzip body, declared or not (not to forms: Keycloak decodes their bytes first, see Known limits)
                    if (body != null && target.ours()) {
                        body = gzip(body);
                        if (random.nextBoolean()) {
                            headers.add("Content-Encoding: gzip");
                        }
                        label.add("gzip body");
                    }
                }
                case 4 -> { // chunked
                    chunked = body != null;
                    label.add("chunked");
                }
                case 5 -> { // path tricks
                    String[] tricks = {"/%2e%2e", "/%2e%2e/%2e%2e/master", "%00", "/%00", "/" + "k".repeat(1000), ";jsessionid=x", "//", "/.%2e/",
                            "/%C0%AE%C0%AE", "/\u00e9".replace("\u00e9", "%C3%A9"), "?first=-0&max=1e400", "?max=99999999999999999999", "?first=%00"};
                    String trick = tricks[random.nextInt(tricks.length)];
                    path = trick.startsWith("?") ? path.replaceFirst("\\?.*$", "") + trick : insertIntoPath(path, trick, random);
                    label.add("path " + trick.substring(0, Math.min(20, trick.length())));
                }
                case 6 -> { // ids of 1,000 characters, NULs, dots
                    String[] ids = {"k".repeat(1000), "%00", "%2e%2e", "..", "%252e%252e", "%E2%80%AE" + "a".repeat(50), "%ED%A0%80"};
                    String id = ids[random.nextInt(ids.length)];
                    path = path.replace(org.orgId, random.nextBoolean() ? id : org.orgId).replace(revokedId, id);
                    label.add("id " + id.substring(0, Math.min(12, id.length())));
                }
                case 7 -> { // wrong methods
                    String[] methods = {"PUT", "PATCH", "DELETE", "POST", "GET", "OPTIONS", "HEAD", "TRACE", "PROPFIND"};
                    method = methods[random.nextInt(methods.length)];
                    label.add("method " + method);
                }
                default -> { // Host header
                    // (one it cannot parse is answered 400 and logged as an ERROR by the HTTP layer: Known limits)
                    String[] hosts = {"127.0.0.1:1", "127.0.0.1:99999", "127.0.0.1:abc", "evil.example", "[::1", "127.0.0.1:8080:80", ""};
                    host = hosts[random.nextInt(hosts.length)];
                    label.add("Host [" + host + "]");
                }
            }
        }

        if (target.auth() == Auth.ADMIN && typeMutated
                && (!("Bearer " + admin.token()).equals(authorization) || !authority().equals(host) || label.contains("two Authorization headers"))) {
            contentType = body == null ? null : "application/json"; // Keycloak's own 500 before our code runs: Known limits
            label.add("(admin credential broken: Content-Type reset)");
        }
        if ("HEAD".equals(method) || "GET".equals(method) && random.nextBoolean()) {
            body = "GET".equals(method) ? body : null;
        }
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host);
        if (authorization != null) {
            head.append("\r\nAuthorization: ").append(authorization);
        }
        if (contentType != null) {
            head.append("\r\nContent-Type: ").append(contentType);
        }
        headers.forEach(h -> head.append("\r\n").append(h));
        if (body != null) {
            if (chunked) {
                head.append("\r\nTransfer-Encoding: chunked");
                body = chunk(body, 1 + random.nextInt(64));
            } else {
                head.append("\r\nContent-Length: ").append(body.length);
            }
        }
        return new Probe(target.method() + " " + target.path() + " [" + String.join("; ", label) + "]", head.toString(), body);
    }

    /**
     * A request body of this kind that the endpoint must refuse: the values mutated, and one
     * other value always invalid, so that no generated request is a valid write.
     */
    private byte[] body(Kind kind, Random random, List<String> label) {
        String hostile = hostileValue(random, label);
        String json = switch (kind) {
            case CREATE -> random.nextBoolean()
                    ? "{\"description\": " + hostile + ", \"permissions\": {\"agents\": {\"read\": true, \"write\": false}}, \"expiresAt\": \"1999-01-01T00:00:00Z\"}"
                    : "{\"description\": \"d\", \"permissions\": {\"agents\": {\"read\": " + hostile + ", \"write\": false}, \"no-such-resource\": {\"read\": true, \"write\": false}}, \"expiresAt\": " + hostile + "}";
            case ASSUME -> switch (random.nextInt(3)) {
                case 0 -> "{\"userId\": " + hostile + ", \"userEmail\": \"not an email\"}";
                case 1 -> "{\"userId\": \"a\\u0000b\", \"userEmail\": " + hostile + "}";
                default -> "{\"userId\": \"a\\u0000b\", \"userName\": " + hostile + ", \"userId\": " + hostile + "}";
            };
            case ROTATE -> "{\"gracePeriodSeconds\": " + hostile + "}";
            case SETTINGS -> "{\"resources\": [], \"assumeRoleLifetimeSeconds\": " + hostile + "}";
            case INTROSPECT -> "token=" + formValue(random) + "&token_type_hint=" + (random.nextBoolean() ? "api_key" : "access_token")
                    + "&client_id=" + OrgFixture.RS_CLIENT + "&client_secret=" + OrgFixture.RS_SECRET;
            case EXCHANGE -> "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=" + formValue(random)
                    + "&subject_token_type=" + Http.encode(KEY_TYPE) + "&client_id=" + OrgFixture.RS_CLIENT + "&client_secret=" + OrgFixture.RS_SECRET;
            case NONE -> null;
        };
        if (json == null) {
            return random.nextInt(4) == 0 ? "{\"unexpected\": true}".getBytes(StandardCharsets.UTF_8) : null;
        }
        if (kind == Kind.INTROSPECT || kind == Kind.EXCHANGE) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0 -> { // truncated
                int cut = 1 + random.nextInt(Math.max(1, bytes.length - 1));
                bytes = java.util.Arrays.copyOf(bytes, cut);
                label.add("truncated");
            }
            case 1 -> { // a BOM
                bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes);
                label.add("BOM");
            }
            case 2 -> { // deeply nested
                int depth = 500 + random.nextInt(20_000);
                bytes = ("{\"description\": " + "[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : depth / 2) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                label.add("nested " + depth);
            }
            case 3 -> { // invalid UTF-8 bytes inside a string
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                int quote = text.indexOf('"', 2);
                if (quote > 0) {
                    bytes = concat(concat(java.util.Arrays.copyOf(bytes, quote), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}),
                            java.util.Arrays.copyOfRange(bytes, quote, bytes.length));
                }
                label.add("invalid UTF-8");
            }
            case 4 -> { // duplicate keys
                bytes = json.replaceFirst("\\{", "{\"description\": \"dup\", \"description\": \"dup\", ").getBytes(StandardCharsets.UTF_8);
                label.add("duplicate keys");
            }
            default -> {
                // the hostile value alone
            }
        }
        return bytes;
    }

    /** A JSON value (as text) that no field accepts, or that the other poisoned field rejects anyway. */
    private static String hostileValue(Random random, List<String> label) {
        String[] values = {
                "\"" + "x".repeat(70_000) + "\"",                 // over the 64 KiB body limit
                "\"" + "x".repeat(300) + "\"",                    // over a field limit
                "1e400", "-0", "-1e400", "12345678901234567890123456789012345678901234567890", "1.5", "NaN", "Infinity",
                "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\"", "\"\\u202e\\u0000evil\"", "\"\\u202egnp.exe\"", "\"\\ufffd\"",
                "\"\\u0130".repeat(1) + "\\u0130".repeat(120) + "@example.com\"",
                "null", "true", "[]", "{}", "[\"a\"]", "{\"read\": true}", "\"\"", "\" \"", "\"\\t\"", "0x10", "+1", "01",
                "\"" + "\u0130".repeat(200) + "\"", "\"" + "\uD83D\uDE00".repeat(200) + "\""};
        int v = random.nextInt(values.length);
        label.add("value " + v);
        return values[v];
    }

    private static String formValue(Random random) {
        String[] values = {"ik_" + "x".repeat(5000), "ik_%00abc", "ik_%ED%A0%80", "%EF%BB%BFik_abc", "ik_%E2%80%AE", "", "%C3%28",
                "ik_" + "A".repeat(40) + "%0D%0AX-Injected:%201", "eyJhbGciOiJub25lIn0.e30.", "ik_%2e%2e%2F%2e%2e", "a&token=b&token=c"};
        return values[random.nextInt(values.length)];
    }

    private static String insertIntoPath(String path, String trick, Random random) {
        int query = path.indexOf('?');
        String base = query < 0 ? path : path.substring(0, query);
        String rest = query < 0 ? "" : path.substring(query);
        return random.nextBoolean() ? base + trick + rest : base.replaceFirst("/orgs", "/orgs" + trick) + rest;
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] chunk(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += size) {
            int n = Math.min(size, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** {@code 127.0.0.1:PORT}: the Host that the server's tokens were issued for. */
    private String authority() {
        return java.net.URI.create(server.baseUrl()).getAuthority();
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
