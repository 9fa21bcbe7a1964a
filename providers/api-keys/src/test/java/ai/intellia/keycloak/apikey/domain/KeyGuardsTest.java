package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyGuardsTest {

    private static final List<String> KNOWN = List.of("agents", "assume_role");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    @DisplayName("given a create body with guard rails, then the record stores, re-reads and shows them")
    void roundTrip() {
        CreateKeyRequest request = CreateKeyRequest.parse("{\"description\": \"d\", \"allowedCidrs\": [\"203.0.113.0/24\", \"2001:db8::/32\"],"
                + " \"rateLimits\": {\"exchange\": \"5/min\"}}", KNOWN, NOW);
        ApiKeyRecord record = ApiKeyRecord.issued("k1", "org", "ik_x", NOW, "u").withSettingsOf(request.asSettings());
        ApiKeyRecord reread = ApiKeyRecord.fromStoredJson("k1", record.toStoredJson());
        assertThat(reread.guards().allowsAddress("203.0.113.9")).isTrue();
        assertThat(reread.guards().allowsAddress("198.51.100.1")).isFalse();
        assertThat(reread.guards().rateLimits()).isEqualTo(new RateLimits(null, new RateLimit(5, 60), null));
        assertThat(ApiKeyRepresentation.of(reread, KNOWN, null).get("allowedCidrs").toString())
                .isEqualTo("[\"203.0.113.0/24\",\"2001:db8:0:0:0:0:0:0/32\"]");
        assertThat(ApiKeyRepresentation.of(reread, KNOWN, null).get("rateLimits").toString()).isEqualTo("{\"exchange\":\"5/min\"}");
        assertThat(reread.rotated("k2", NOW).guards()).isEqualTo(reread.guards());
        assertThat(reread.revoked(NOW).guards()).isEqualTo(reread.guards());
    }

    @Test
    @DisplayName("given no guard rails, then the record is stored as before and shows nulls")
    void unrestricted() {
        CreateKeyRequest request = CreateKeyRequest.parse("{\"description\": \"d\", \"allowedCidrs\": null}", KNOWN, NOW);
        assertThat(request.guards()).isSameAs(KeyGuards.NONE);
        ApiKeyRecord record = ApiKeyRecord.issued("k1", "org", "ik_x", NOW, "u").withSettingsOf(request.asSettings());
        assertThat(record.toStoredJson()).doesNotContain("allowedCidrs").doesNotContain("rateLimits");
        assertThat(ApiKeyRecord.fromStoredJson("k1", record.toStoredJson()).guards()).isSameAs(KeyGuards.NONE);
        assertThat(ApiKeyRepresentation.of(record, KNOWN, null).get("allowedCidrs").isNull()).isTrue();
        assertThat(ApiKeyRepresentation.of(record, KNOWN, null).get("rateLimits").isNull()).isTrue();
        assertThat(KeyGuards.NONE.allowsAddress("anything")).isTrue();
    }

    @Test
    void badValuesInTheCreateBodyAre400() {
        assertThatThrownBy(() -> CreateKeyRequest.parse("{\"description\": \"d\", \"allowedCidrs\": [\"x\"]}", KNOWN, NOW))
                .isInstanceOf(ApiError.class).hasMessageStartingWith("allowedCidrs");
        assertThatThrownBy(() -> CreateKeyRequest.parse("{\"description\": \"d\", \"rateLimits\": {\"exchange\": \"5/d\"}}", KNOWN, NOW))
                .isInstanceOf(ApiError.class).hasMessageStartingWith("rateLimits");
    }

    @Test
    @DisplayName("given damaged stored guard rails, then the record does not parse (the key never verifies: fail closed)")
    void damagedStoredGuardsFailClosed() {
        ApiKeyRecord record = ApiKeyRecord.issued("k1", "org", "ik_x", NOW, "u").withDescription("d");
        String stored = record.toStoredJson();
        String damaged = stored.substring(0, stored.length() - 1) + ",\"allowedCidrs\":[\"nonsense\"]}";
        assertThat(ApiKeyRecord.fromStoredJson("k1", damaged)).isNull();
    }
}
