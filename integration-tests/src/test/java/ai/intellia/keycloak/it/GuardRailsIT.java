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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract section 8: a key's network allow-list and rate limits, over HTTP. The test server sees
 * every caller as 127.0.0.1; other addresses (IPv6, behind a proxy header) are in
 * {@link GuardRailsClusterIT}, whose nodes run with {@code --proxy-headers=xforwarded}. At
 * introspection any address can be tested, through {@code client_ip}.
 */
@ExtendWith(KeycloakExtension.class)
class GuardRailsIT {

    private final AdminClient admin;
    private OrgFixture org;

    GuardRailsIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    // --- helpers -------------------------------------------------------------------------------

    private String key(Map<String, Object> guards) {
        Map<String, Object> body = new LinkedHashMap<>(guards);
        body.put("description", "guarded");
        body.put("permissions", OrgFixture.grant("assume_role", false, true));
        return org.createKey(body).get("key").asText();
    }

    private static Reply send(String url, String bearer, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(BodyPublishers.ofString(body)).header("Content-Type", contentType);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return Http.send(request.build());
    }

    private Reply assume(String key) {
        return send(org.orgUrl() + "/assume-role", key, "application/json", "{\"userId\": \"end-user-1\"}");
    }

    private static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> Http.encode(e.getKey()) + "=" + Http.encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private Reply exchange(String key) {
        return exchangeAs(key, null);
    }

    /** Key → token exchange; with {@code requestedSubject} the assume-role form of it. */
    private Reply exchangeAs(String key, String requestedSubject) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TokenExchangeIT.GRANT);
        form.put("subject_token", key);
        form.put("subject_token_type", TokenExchangeIT.API_KEY_TYPE);
        if (requestedSubject != null) {
            form.put("requested_subject", requestedSubject);
        }
        form.put("client_id", OrgFixture.RS_CLIENT);
        form.put("client_secret", OrgFixture.RS_SECRET);
        return send(admin.tokenUrl(org.realm), null, "application/x-www-form-urlencoded", form(form));
    }

    private Reply introspect(String key, String clientIp) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", key);
        form.put("client_id", OrgFixture.RS_CLIENT);
        form.put("client_secret", OrgFixture.RS_SECRET);
        if (clientIp != null) {
            form.put("client_ip", clientIp);
        }
        return send(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect", null,
                "application/x-www-form-urlencoded", form(form));
    }

    private boolean active(String key, String clientIp) {
        Reply reply = introspect(key, clientIp);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        if (!reply.json().path("active").asBoolean()) {
            assertThat(reply.json().toString()).isEqualTo("{\"active\":false}");
            return false;
        }
        return true;
    }

    private String keyId(String key) {
        return introspect(key, null).json().path("api_key_id").asText();
    }

    /** Whether an error event of {@code type} names the key and has {@code detail} = {@code value} (a prefix is enough). */
    private boolean errorEvent(String type, String keyId, String detail, String value) {
        return Poll.until(Duration.ofSeconds(5), () -> admin.events(org.realm, "type=" + type + "&max=300")
                .findParents("details").stream().anyMatch(e -> keyId.equals(e.at("/details/api_key_id").asText())
                        && e.at("/details/" + detail).asText().startsWith(value)));
    }

    private static int header(Reply reply, String name) {
        return Integer.parseInt(reply.header(name).orElseThrow(() -> new AssertionError("no " + name + " in " + reply)));
    }

    // --- the key object --------------------------------------------------------------------------

    @Nested
    @DisplayName("the key object")
    class KeyObject {

        @Test
        @DisplayName("given guard rails at creation then the key object shows them, canonical, in get and list")
        void shown() {
            JsonNode created = org.createKey(Map.of("description", "g", "allowedCidrs", List.of("203.0.113.77/24", "2001:db8::/32", "198.51.100.1"),
                    "rateLimits", Map.of("exchange", "5/min", "introspect", "100/s")));
            assertThat(created.get("allowedCidrs").toString())
                    .isEqualTo("[\"203.0.113.0/24\",\"2001:db8:0:0:0:0:0:0/32\",\"198.51.100.1/32\"]");
            assertThat(created.get("rateLimits").toString()).isEqualTo("{\"exchange\":\"5/min\",\"introspect\":\"100/s\"}");
            JsonNode got = Http.get(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken).json();
            assertThat(got.get("allowedCidrs")).isEqualTo(created.get("allowedCidrs"));
            assertThat(got.get("rateLimits")).isEqualTo(created.get("rateLimits"));
        }

        @Test
        @DisplayName("given no guard rails then both fields are null")
        void nullWhenAbsent() {
            JsonNode created = org.createKey(Map.of("description", "plain"));
            assertThat(created.get("allowedCidrs").isNull()).isTrue();
            assertThat(created.get("rateLimits").isNull()).isTrue();
        }

        @Test
        @DisplayName("given a rotation then the successor keeps the allow-list and the limits, and they still apply")
        void rotationKeepsThem() {
            JsonNode created = org.createKey(Map.of("description", "g", "allowedCidrs", List.of("127.0.0.1", "203.0.113.0/24"),
                    "permissions", OrgFixture.grant("assume_role", false, true), "rateLimits", Map.of("assumeRole", "9/h")));
            Reply rotated = Http.postJson(org.keysUrl() + "/" + created.get("id").asText() + "/rotate", org.ownerToken, Map.of());
            assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
            assertThat(rotated.json().get("allowedCidrs")).isEqualTo(created.get("allowedCidrs"));
            assertThat(rotated.json().get("rateLimits")).isEqualTo(created.get("rateLimits"));
            String successor = rotated.json().get("key").asText();
            assertThat(active(successor, "198.51.100.1")).isFalse();
            Reply allowed = assume(successor);
            assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
            assertThat(header(allowed, "RateLimit-Limit")).isEqualTo(9);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"allowedCidrs\": \"203.0.113.0/24\"}", "{\"allowedCidrs\": [\"203.0.113.0/33\"]}",
                "{\"allowedCidrs\": [\"example.com\"]}", "{\"allowedCidrs\": [42]}",
                "{\"rateLimits\": {\"exchange\": \"0/s\"}}", "{\"rateLimits\": {\"exchange\": \"5/day\"}}",
                "{\"rateLimits\": {\"exchange\": \"1000001/h\"}}", "{\"rateLimits\": {\"login\": \"5/s\"}}",
                "{\"rateLimits\": \"5/s\"}", "{\"rateLimits\": {\"exchange\": 5}}"})
        void badValuesAre400(String guards) {
            String body = "{\"description\": \"bad\", " + guards.substring(1);
            Reply reply = Http.postJson(org.keysUrl(), org.ownerToken, body);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
            assertThat(Http.get(org.keysUrl(), org.ownerToken).json()).isEmpty(); // nothing written
        }

        @Test
        void moreThanFiftyCidrsIs400() {
            List<String> cidrs = new ArrayList<>();
            for (int i = 0; i < 51; i++) {
                cidrs.add("10.0." + i + ".0/24");
            }
            Reply reply = Http.postJson(org.keysUrl(), org.ownerToken, Map.of("description", "many", "allowedCidrs", cidrs));
            Refusals.assertRefused(reply, 400, "invalid_request");
        }
    }

    // --- allow-list ------------------------------------------------------------------------------

    @Nested
    @DisplayName("allow-list")
    class AllowList {

        @Test
        @DisplayName("given an IPv4 list then assume-role and exchange work from inside it and are refused from outside, with an event")
        void ipv4() {
            String inside = key(Map.of("allowedCidrs", List.of("10.0.0.0/8", "127.0.0.0/24")));
            assertThat(assume(inside).status()).isEqualTo(200);
            assertThat(exchange(inside).status()).isEqualTo(200);

            String outside = key(Map.of("allowedCidrs", List.of("203.0.113.0/24", "2001:db8::/32")));
            Reply refused = assume(outside);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.json().path("error").asText()).isEqualTo("ip_not_allowed");
            assertThat(refused.json().path("error_description").asText()).isNotBlank();
            Reply refusedExchange = exchange(outside);
            assertThat(refusedExchange.status()).as(refusedExchange.toString()).isEqualTo(403);
            assertThat(refusedExchange.json().path("error").asText()).isEqualTo("access_denied");
            assertThat(errorEvent("TOKEN_EXCHANGE_ERROR", keyId(outside), "ip_address", "127.0.0.1")).isTrue();
        }

        @Test
        @DisplayName("given an allow-list then introspection enforces the client_ip a resource server sends, and only then")
        void introspectionClientIp() {
            String key = key(Map.of("allowedCidrs", List.of("203.0.113.0/24", "2001:db8::/32")));
            assertThat(active(key, null)).isTrue(); // the resource server's own address is not the key user's
            assertThat(active(key, "203.0.113.1")).isTrue();
            assertThat(active(key, "2001:db8::77")).isTrue();
            assertThat(active(key, "198.51.100.1")).isFalse();
            assertThat(active(key, "2001:db9::1")).isFalse();
            assertThat(active(key, "not-an-ip")).isFalse();
            assertThat(errorEvent("INTROSPECT_TOKEN_ERROR", keyId(key), "client_ip", "198.51.100.1")).isTrue();
            assertThat(errorEvent("INTROSPECT_TOKEN_ERROR", keyId(key), "reason", "ip_not_allowed")).isTrue();
        }

        @Test
        @DisplayName("given a key without an allow-list then any address and any client_ip pass (an unparseable client_ip does not)")
        void unrestricted() {
            String key = key(Map.of());
            assertThat(assume(key).status()).isEqualTo(200);
            assertThat(exchange(key).status()).isEqualTo(200);
            assertThat(active(key, "198.51.100.1")).isTrue();
            assertThat(active(key, "not-an-ip")).isFalse();
        }
    }

    // --- rate limits -----------------------------------------------------------------------------

    @Nested
    @DisplayName("rate limits")
    class Limits {

        @Test
        @DisplayName("given an exchange limit then successes carry RateLimit-* and the next one is 429 with Retry-After")
        void exchange429() {
            String key = key(Map.of("rateLimits", Map.of("exchange", "2/h")));
            Reply first = exchange(key);
            assertThat(first.status()).isEqualTo(200);
            assertThat(header(first, "RateLimit-Limit")).isEqualTo(2);
            assertThat(header(first, "RateLimit-Remaining")).isEqualTo(1);
            assertThat(header(exchange(key), "RateLimit-Remaining")).isZero();
            Reply refused = exchange(key);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.json().path("error").asText()).isEqualTo("too_many_requests");
            assertThat(refused.json().path("error_description").asText()).isNotBlank();
            assertThat(header(refused, "Retry-After")).isBetween(1, 3600);
            assertThat(header(refused, "RateLimit-Reset")).isEqualTo(header(refused, "Retry-After"));
            assertThat(header(refused, "RateLimit-Limit")).isEqualTo(2);
            assertThat(header(refused, "RateLimit-Remaining")).isZero();
            assertThat(errorEvent("TOKEN_EXCHANGE_ERROR", keyId(key), "reason", "rate_limited")).isTrue();
            // operations are counted apart: introspection and assume-role have no limit here
            assertThat(assume(key).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("given an assume-role limit then the call over it is 429 too_many_requests with the headers")
        void assumeRole429() {
            String key = key(Map.of("rateLimits", Map.of("assumeRole", "1/h")));
            Reply first = assume(key);
            assertThat(first.status()).isEqualTo(200);
            assertThat(header(first, "RateLimit-Remaining")).isZero();
            Reply refused = assume(key);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.json().path("error").asText()).isEqualTo("too_many_requests");
            assertThat(header(refused, "Retry-After")).isBetween(1, 3600);
            assertThat(header(refused, "RateLimit-Limit")).isEqualTo(1);
            assertThat(refused.header("RateLimit-Reset")).isPresent();
            // the same operation through the exchange (requested_subject) shares the assumeRole budget ...
            Reply viaExchange = exchangeAs(key, "end-user-1");
            assertThat(viaExchange.status()).as(viaExchange.toString()).isEqualTo(429);
            assertThat(viaExchange.json().path("error").asText()).isEqualTo("too_many_requests");
            // ... while a plain exchange (the key's own token) is not limited here
            assertThat(exchange(key).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("given an introspect limit then the call over it is inactive with a rate_limited error event")
        void introspectRateLimited() {
            String key = key(Map.of("rateLimits", Map.of("introspect", "2/h")));
            String id = introspect(key, null).json().path("api_key_id").asText();
            assertThat(active(key, null)).isTrue();
            assertThat(active(key, null)).isFalse();
            assertThat(errorEvent("INTROSPECT_TOKEN_ERROR", id, "reason", "rate_limited")).isTrue();
            assertThat(exchange(key).status()).isEqualTo(200); // the exchange is not limited
        }

        @Test
        @DisplayName("given an organization default then keys without their own limit follow it, per operation")
        void organizationDefault() {
            String orgUrl = admin.url(org.realm, "/organizations/" + org.orgId);
            com.fasterxml.jackson.databind.node.ObjectNode rep = (com.fasterxml.jackson.databind.node.ObjectNode) Http.get(orgUrl, admin.token()).json();
            rep.putObject("attributes").putArray("intellia.api-keys.default-rate-limits").add("{\"exchange\": \"1/h\", \"assumeRole\": \"1/h\"}");
            assertThat(Http.putJson(orgUrl, admin.token(), rep).status()).isEqualTo(204);

            String plain = key(Map.of());
            assertThat(exchange(plain).status()).isEqualTo(200);
            Reply refused = exchange(plain);
            Refusals.assertRefused(refused, 429, "too_many_requests");
            assertThat(header(refused, "RateLimit-Limit")).isEqualTo(1);

            String own = key(Map.of("rateLimits", Map.of("exchange", "3/h"))); // its own exchange limit wins ...
            for (int i = 0; i < 3; i++) {
                assertThat(exchange(own).status()).isEqualTo(200);
            }
            Refusals.assertRefused(exchange(own), 429, "too_many_requests");
            assertThat(assume(own).status()).isEqualTo(200); // ... and the default still limits its assume-role
            Refusals.assertRefused(assume(own), 429, "too_many_requests");
        }

        @Test
        @DisplayName("given an invalid defaultRateLimits in the settings PUT then 400 and nothing written")
        void invalidDefaultIs400() {
            String url = admin.url(org.realm, "/api-keys/settings");
            for (String bad : List.of("{\"defaultRateLimits\": {\"exchange\": \"5/day\"}}", "{\"defaultRateLimits\": \"5/s\"}",
                    "{\"defaultRateLimits\": {\"login\": \"5/s\"}}")) {
                Reply reply = Http.putJson(url, admin.token(), bad);
                assertThat(reply.status()).as(bad + " -> " + reply).isEqualTo(400);
                assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
            }
            assertThat(Http.get(url, admin.token()).json().get("defaultRateLimits").isNull()).isTrue();
        }
    }
}
