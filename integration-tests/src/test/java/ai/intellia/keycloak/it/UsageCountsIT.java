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

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 8, {@code usage}: requests per UTC day of each key, used and refused, in the key
 * objects of the organization API and the admin REST. Counted in memory and shown merged with the
 * serving node's unwritten counts, so a single node shows them at once (the flush comes later).
 */
@ExtendWith(KeycloakExtension.class)
class UsageCountsIT {

    private final AdminClient admin;
    private OrgFixture org;

    UsageCountsIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    private Reply exchange(String key, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TokenExchangeIT.GRANT);
        form.put("subject_token", key);
        form.put("subject_token_type", TokenExchangeIT.API_KEY_TYPE);
        form.put("client_id", OrgFixture.RS_CLIENT);
        form.put("client_secret", OrgFixture.RS_SECRET);
        form.putAll(extra);
        return Http.postForm(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token", null, form);
    }

    private Reply assumeRole(String key, String userId) {
        return Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", userId));
    }

    private JsonNode usage(String keyId) {
        Reply reply = Http.get(org.keysUrl() + "/" + keyId, org.ownerToken);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("usage");
    }

    private static JsonNode today(JsonNode usage) {
        JsonNode first = usage.get("days").get(0);
        assertThat(first.get("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        return first;
    }

    @Test
    @DisplayName("given introspections, exchanges and assume-roles then today's used counts each one, newest day first, 30 days")
    void countsUses() {
        JsonNode created = org.createKey("backend", grant("assume_role", false, true));
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        assertThat(today(usage(id)).get("used").asLong()).isZero();

        for (int i = 0; i < 3; i++) {
            assertThat(org.isActive(key)).isTrue();
        }
        assertThat(exchange(key, Map.of()).status()).isEqualTo(200);
        assertThat(exchange(key, Map.of("requested_subject", "u-" + System.nanoTime())).status()).isEqualTo(200);
        Reply assumed = assumeRole(key, "u-" + System.nanoTime());
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);

        JsonNode usage = usage(id);
        assertThat(usage.get("days")).hasSize(30);
        assertThat(today(usage).get("used").asLong()).isEqualTo(6);
        assertThat(today(usage).get("refused").asLong()).isZero();
        assertThat(usage.get("days").get(1).get("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
        assertThat(usage.get("days").get(29).get("used").asLong()).isZero();

        JsonNode listed = Http.get(org.keysUrl(), org.ownerToken).json();
        assertThat(today(listed.get(0).get("usage")).get("used").asLong()).isEqualTo(6);
    }

    @Test
    @DisplayName("given a key lacking assume_role and a revoked key then their refusals are counted, not as uses")
    void countsRefusals() {
        JsonNode reader = org.createKey("reader", grant("agents", true, false));
        String readerKey = reader.get("key").asText();
        Refusals.assertRefused(assumeRole(readerKey, "u-" + System.nanoTime()), 403, "forbidden");
        Refusals.assertRefused(exchange(readerKey, Map.of("requested_subject", "u-" + System.nanoTime())), 403, "access_denied");
        assertThat(org.isActive(readerKey)).isTrue();
        JsonNode readerToday = today(usage(reader.get("id").asText()));
        assertThat(readerToday.get("used").asLong()).isEqualTo(1);
        assertThat(readerToday.get("refused").asLong()).isEqualTo(2);

        // An expired key stays listed: its refusals show. (A revoked key is no longer listed at all.)
        Instant expiry = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        JsonNode expiring = org.createKey(Map.of("description", "expiring", "expiresAt", expiry.toString()));
        String expiringKey = expiring.get("key").asText();
        assertThat(org.isActive(expiringKey)).isTrue();
        sleepUntil(expiry.plusMillis(1200));
        assertThat(org.isActive(expiringKey)).isFalse();
        Refusals.assertRefused(exchange(expiringKey, Map.of()), 400, "invalid_request");
        Refusals.assertRefused(Http.get(org.keysUrl(), expiringKey), 401, "invalid_token");
        JsonNode expiredToday = today(usage(expiring.get("id").asText()));
        assertThat(expiredToday.get("used").asLong()).isEqualTo(1);
        assertThat(expiredToday.get("refused").asLong()).isEqualTo(3);
        assertThat(org.isActive(expiringKey)).isFalse();
        assertThat(today(usage(expiring.get("id").asText())).get("refused").asLong()).isEqualTo(4);
    }

    @Test
    @DisplayName("given guard-rail refusals at introspection and exchange then they are counted as refused, not as uses")
    void countsGuardRailRefusals() {
        JsonNode fenced = org.createKey(Map.of("description", "fenced", "allowedCidrs", java.util.List.of("203.0.113.0/24")));
        Reply outside = Http.postForm(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect", null,
                Map.of("token", fenced.get("key").asText(), "token_type_hint", "api_key", "client_ip", "198.51.100.7",
                        "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
        Refusals.assertInactive(outside);
        Refusals.assertRefused(exchange(fenced.get("key").asText(), Map.of()), 403, "access_denied"); // 127.0.0.1 is outside
        JsonNode fencedToday = today(usage(fenced.get("id").asText()));
        assertThat(fencedToday.get("used").asLong()).isZero();
        assertThat(fencedToday.get("refused").asLong()).isEqualTo(2);

        JsonNode limited = org.createKey(Map.of("description", "limited", "rateLimits", Map.of("exchange", "1/h")));
        assertThat(exchange(limited.get("key").asText(), Map.of()).status()).isEqualTo(200);
        Refusals.assertRefused(exchange(limited.get("key").asText(), Map.of()), 429, "too_many_requests");
        JsonNode limitedToday = today(usage(limited.get("id").asText()));
        assertThat(limitedToday.get("used").asLong()).isEqualTo(1);
        assertThat(limitedToday.get("refused").asLong()).isEqualTo(1);
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    @DisplayName("given a used key then the admin REST key object carries the same usage, in its list and get")
    void adminRestShowsUsage() {
        JsonNode created = org.createKey(Map.of("description", "admin-visible"));
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        assertThat(org.isActive(key)).isTrue();
        assertThat(org.isActive(key)).isTrue();

        Reply one = Http.get(admin.url(org.realm, "/api-keys/" + id), admin.token());
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(today(one.json().get("usage")).get("used").asLong()).isEqualTo(2);
        Reply list = Http.get(admin.url(org.realm, "/api-keys?organization=" + org.orgId), admin.token());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(today(list.json().get(0).get("usage")).get("used").asLong()).isEqualTo(2);
        assertThat(list.json().get(0).get("usage").get("days")).hasSize(30);
    }

    @Test
    @DisplayName("given usage in a create body then 400: usage is never accepted in a request")
    void usageIsNotAcceptedInARequest() {
        Reply reply = Http.postJson(org.keysUrl(), org.ownerToken, Map.of("description", "x",
                "usage", Map.of("days", java.util.List.of())));
        Refusals.assertRefused(reply, 400, "invalid_request");
    }
}
