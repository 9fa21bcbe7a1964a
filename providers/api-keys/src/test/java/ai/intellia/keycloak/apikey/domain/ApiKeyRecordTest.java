package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyRecordTest {

    private static final List<String> KNOWN = ApiKeySettings.DEFAULTS.resources();
    private static final Instant CREATED = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-02T00:00:00Z");
    private static final Permissions PERMISSIONS = Permissions.of(Map.of(
            "agents", new Access(true, false), "assume_role", new Access(false, true)));

    private static ApiKeyRecord record(Instant expiresAt, Instant graceEndsAt, String rotatedTo) {
        ApiKeyRecord live = ApiKeyRecord.issued("key-1", "org-1", "ik_0123456789abc", CREATED, "user-1")
                .withDescription("Production Integration").withPermissions(PERMISSIONS).withExpiresAt(expiresAt);
        return rotatedTo == null ? live : live.rotated(rotatedTo, graceEndsAt);
    }

    private static ApiKeyRecord live(Instant expiresAt) {
        return record(expiresAt, null, null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Nested
    @DisplayName("stored form")
    class StoredForm {

        @Test
        void aRecordWithEveryFieldRoundTrips() {
            ApiKeyRecord original = record(T2, T1, UUID.randomUUID().toString());
            assertThat(ApiKeyRecord.fromStoredJson("key-1", original.toStoredJson())).isEqualTo(original);
        }

        @Test
        void aRecordWithNullOptionalFieldsRoundTrips() {
            ApiKeyRecord original = live(null);
            ApiKeyRecord restored = ApiKeyRecord.fromStoredJson("key-1", original.toStoredJson());
            assertThat(restored).isEqualTo(original);
            assertThat(restored.expiresAt()).isNull();
            assertThat(restored.graceEndsAt()).isNull();
            assertThat(restored.rotatedTo()).isNull();
            assertThat(restored.isRotated()).isFalse();
        }

        @Test
        void aRecordWithoutCreatorOrPermissionsRoundTrips() {
            ApiKeyRecord original = ApiKeyRecord.issued("key-1", "org-1", "ik_x", CREATED, null).withDescription("d");
            assertThat(ApiKeyRecord.fromStoredJson("key-1", original.toStoredJson())).isEqualTo(original);
        }

        @Test
        void theIdComesFromTheCallerNotTheStoredData() {
            assertThat(ApiKeyRecord.fromStoredJson("other-id", live(T1).toStoredJson()).id()).isEqualTo("other-id");
        }

        @Test
        void theStoredFormKeepsGrantsForResourcesNoLongerKnown() {
            ApiKeyRecord original = ApiKeyRecord.issued("key-1", "org-1", "ik_x", CREATED, "u").withDescription("d")
                    .withPermissions(Permissions.of(Map.of("legacy_resource", new Access(true, true))));
            ApiKeyRecord restored = ApiKeyRecord.fromStoredJson("key-1", original.toStoredJson());
            assertThat(restored.permissions().access("legacy_resource")).isEqualTo(new Access(true, true));
        }

        @ParameterizedTest(name = "stored \"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {"garbage", "{", "[]", "null", "42", "\"text\"", "{}",
                "{\"organizationId\": \"org-1\"}",
                "{\"createdAt\": \"2026-11-28T10:00:00Z\"}",
                "{\"organizationId\": null, \"createdAt\": \"2026-11-28T10:00:00Z\"}",
                "{\"organizationId\": \"org-1\", \"createdAt\": \"yesterday\"}",
                "{\"organizationId\": \"org-1\", \"createdAt\": \"2026-11-28T10:00:00Z\", \"expiresAt\": \"soon\"}",
                "{\"organizationId\": \"org-1\", \"createdAt\": \"2026-11-28T10:00:00Z\", \"graceEndsAt\": \"later\"}"})
        void garbageIsNotARecord(String stored) {
            assertThat(ApiKeyRecord.fromStoredJson("key-1", stored)).isNull();
        }
    }

    @ParameterizedTest(name = "expiresAt={0} graceEndsAt={1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "-,                    -,                    -",
            "2026-12-01T00:00:00Z, -,                    2026-12-01T00:00:00Z",
            "-,                    2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-12-01T00:00:00Z, 2026-12-02T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-12-02T00:00:00Z, 2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z"
    })
    void effectiveExpiryIsTheEarlierOfExpiryAndGraceEnd(Instant expiresAt, Instant graceEndsAt, Instant expected) {
        assertThat(record(expiresAt, graceEndsAt, graceEndsAt == null ? null : "key-2").effectiveExpiry()).isEqualTo(expected);
    }

    @Nested
    @DisplayName("given a key that never expires")
    class NeverExpires {

        private final ApiKeyRecord key = live(null);

        @Test
        @DisplayName("then it works at any time and is never gone")
        void worksForever() {
            assertThat(key.worksAt(CREATED)).isTrue();
            assertThat(key.worksAt(Instant.parse("2999-01-01T00:00:00Z"))).isTrue();
            assertThat(key.isGoneAt(Instant.parse("2999-01-01T00:00:00Z"))).isFalse();
        }
    }

    @Nested
    @DisplayName("given a key that expires at T1")
    class Expiring {

        private final ApiKeyRecord key = live(T1);

        @Test
        @DisplayName("then it works until just before T1")
        void worksBeforeExpiry() {
            assertThat(key.worksAt(T1.minusMillis(1))).isTrue();
        }

        @Test
        @DisplayName("then it stops working at T1 and after")
        void stopsAtExpiry() {
            assertThat(key.worksAt(T1)).isFalse();
            assertThat(key.worksAt(T2)).isFalse();
        }

        @Test
        @DisplayName("then it stays listed after expiry (not gone)")
        void expiredIsNotGone() {
            assertThat(key.isGoneAt(T2)).isFalse();
        }

        @Test
        @DisplayName("then its representation shows the past expiresAt")
        void representationShowsExpiry() {
            assertThat(ApiKeyRepresentation.of(key, KNOWN, null).get("expiresAt").textValue()).isEqualTo("2026-12-01T00:00:00Z");
        }
    }

    @Nested
    @DisplayName("given a key rotated with grace until T1")
    class Rotated {

        private final ApiKeyRecord key = live(null).rotated("key-2", T1);

        @Test
        @DisplayName("then rotation keeps every other field")
        void rotationKeepsFields() {
            assertThat(key.isRotated()).isTrue();
            assertThat(key.rotatedTo()).isEqualTo("key-2");
            assertThat(key.graceEndsAt()).isEqualTo(T1);
            assertThat(key).usingRecursiveComparison().ignoringFields("rotatedTo", "graceEndsAt").isEqualTo(live(null));
        }

        @Test
        @DisplayName("then it works and is listed until just before T1")
        void worksDuringGrace() {
            assertThat(key.worksAt(T1.minusMillis(1))).isTrue();
            assertThat(key.isGoneAt(T1.minusMillis(1))).isFalse();
        }

        @Test
        @DisplayName("then it stops working and is gone at T1 and after")
        void goneAtGraceEnd() {
            assertThat(key.worksAt(T1)).isFalse();
            assertThat(key.isGoneAt(T1)).isTrue();
            assertThat(key.isGoneAt(T2)).isTrue();
        }

        @Test
        @DisplayName("then its representation shows the end of grace as expiresAt")
        void representationShowsGraceEnd() {
            assertThat(ApiKeyRepresentation.of(key, KNOWN, null).get("expiresAt").textValue()).isEqualTo("2026-12-01T00:00:00Z");
        }

        @Test
        @DisplayName("then its representation names its successor (rotatedTo), a live key's does not")
        void representationNamesSuccessor() {
            assertThat(ApiKeyRepresentation.of(key, KNOWN, null).get("rotatedTo").textValue()).isEqualTo("key-2");
            assertThat(ApiKeyRepresentation.of(live(null), KNOWN, null).has("rotatedTo")).isFalse();
        }

        @Test
        @DisplayName("then a zero grace (grace end = now) makes it gone at once")
        void zeroGraceIsGoneAtOnce() {
            ApiKeyRecord now = live(null).rotated("key-2", CREATED);
            assertThat(now.worksAt(CREATED)).isFalse();
            assertThat(now.isGoneAt(CREATED)).isTrue();
        }
    }

    @Nested
    @DisplayName("given a key expiring at T1 rotated with grace until T2")
    class ExpiresDuringGrace {

        private final ApiKeyRecord key = live(T1).rotated("key-2", T2);

        @Test
        @DisplayName("then it stops working at its own expiry T1")
        void stopsAtOwnExpiry() {
            assertThat(key.worksAt(T1)).isFalse();
            assertThat(key.effectiveExpiry()).isEqualTo(T1);
        }

        @Test
        @DisplayName("then it stays listed until T2 and is gone from then on")
        void goneAtGraceEnd() {
            assertThat(key.isGoneAt(T1)).isFalse();
            assertThat(key.isGoneAt(T2.minusMillis(1))).isFalse();
            assertThat(key.isGoneAt(T2)).isTrue();
        }

        @Test
        @DisplayName("then its representation shows the earlier own expiry")
        void representationShowsOwnExpiry() {
            assertThat(ApiKeyRepresentation.of(key, KNOWN, null).get("expiresAt").textValue()).isEqualTo("2026-12-01T00:00:00Z");
        }
    }

    @Nested
    @DisplayName("representation")
    class Representation {

        private final ObjectNode json = ApiKeyRepresentation.of(live(null), KNOWN, null);

        @Test
        void hasExactlyTheContractFields() {
            assertThat(fieldNames(json)).containsExactlyInAnyOrder(
                    "id", "prefix", "description", "permissions", "organizationId", "createdAt", "createdBy", "expiresAt", "lastUsedAt",
                    "allowedCidrs", "rateLimits");
        }

        @Test
        void neverHasAKey() {
            assertThat(json.has("key")).isFalse();
            assertThat(ApiKeyRepresentation.of(live(T1).rotated("key-2", T1), KNOWN, T1).has("key")).isFalse();
        }

        @Test
        void hidesInternalFields() {
            assertThat(json.toString()).doesNotContain("graceEndsAt", "rotatedTo", "secret", "hash");
            assertThat(ApiKeyRepresentation.of(live(null).rotated("key-2", T1), KNOWN, null).toString()).doesNotContain("graceEndsAt", "secret", "hash");
        }

        @Test
        void carriesTheRecordValues() {
            assertThat(json.get("id").textValue()).isEqualTo("key-1");
            assertThat(json.get("prefix").textValue()).isEqualTo("ik_0123456789abc");
            assertThat(json.get("description").textValue()).isEqualTo("Production Integration");
            assertThat(json.get("organizationId").textValue()).isEqualTo("org-1");
            assertThat(json.get("createdAt").textValue()).isEqualTo("2026-11-28T10:00:00Z");
            assertThat(json.get("createdBy").textValue()).isEqualTo("user-1");
        }

        @Test
        void expiresAtAndLastUsedAtAreNullWhenUnset() {
            assertThat(json.get("expiresAt").isNull()).isTrue();
            assertThat(json.get("lastUsedAt").isNull()).isTrue();
        }

        @Test
        void lastUsedAtIsAnIsoInstantWhenSet() {
            ObjectNode used = ApiKeyRepresentation.of(live(null), KNOWN, Instant.parse("2026-11-29T08:30:00Z"));
            assertThat(used.get("lastUsedAt").textValue()).isEqualTo("2026-11-29T08:30:00Z");
        }

        @Test
        void permissionsAreFilledInForEveryKnownResource() {
            JsonNode permissions = json.get("permissions");
            assertThat(fieldNames(permissions)).containsExactlyElementsOf(KNOWN);
            assertThat(permissions.get("agents")).isEqualTo(json("{\"read\": true, \"write\": false}"));
            assertThat(permissions.get("assume_role")).isEqualTo(json("{\"read\": false, \"write\": true}"));
            assertThat(permissions.get("tools")).isEqualTo(json("{\"read\": false, \"write\": false}"));
        }
    }
}
