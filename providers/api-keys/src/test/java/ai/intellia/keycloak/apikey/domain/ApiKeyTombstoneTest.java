package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Revoked and rotated-out keys as tombstones: gone at once, forgotten after 30 days. */
class ApiKeyTombstoneTest {

    private static final Instant CREATED = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant REVOKED = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration THIRTY_DAYS = Duration.ofDays(ApiKeyRecord.TOMBSTONE_DAYS);

    private static ApiKeyRecord live() {
        return ApiKeyRecord.issued("key-1", "org-1", "ik_0123456789abc", CREATED, "user-1").withDescription("d");
    }

    @Test
    @DisplayName("a revoked key never works and is gone at once, but is kept until 30 days after revocation")
    void revoked() {
        ApiKeyRecord revoked = live().revoked(REVOKED);
        assertThat(revoked.isRevoked()).isTrue();
        assertThat(revoked.worksAt(REVOKED.minusSeconds(60))).isFalse();
        assertThat(revoked.isGoneAt(REVOKED)).isTrue();
        assertThat(revoked.isPurgeableAt(REVOKED.plus(THIRTY_DAYS).minusSeconds(1))).isFalse();
        assertThat(revoked.isPurgeableAt(REVOKED.plus(THIRTY_DAYS))).isTrue();
    }

    @Test
    @DisplayName("revocation survives the stored form; records stored before it existed read as not revoked")
    void storedForm() {
        ApiKeyRecord revoked = live().revoked(REVOKED);
        assertThat(ApiKeyRecord.fromStoredJson("key-1", revoked.toStoredJson())).isEqualTo(revoked);
        assertThat(live().toStoredJson()).doesNotContain("revokedAt");
        assertThat(ApiKeyRecord.fromStoredJson("key-1", live().toStoredJson()).isRevoked()).isFalse();
    }

    @Test
    @DisplayName("a rotated key is purgeable 30 days after its grace ended, never while in grace")
    void rotated() {
        Instant graceEnd = REVOKED.plusSeconds(3600);
        ApiKeyRecord rotated = live().rotated("key-2", graceEnd);
        assertThat(rotated.isRevoked()).isFalse();
        assertThat(rotated.isPurgeableAt(graceEnd.minusSeconds(1))).isFalse();
        assertThat(rotated.isPurgeableAt(graceEnd.plus(THIRTY_DAYS).minusSeconds(1))).isFalse();
        assertThat(rotated.isPurgeableAt(graceEnd.plus(THIRTY_DAYS))).isTrue();
    }

    @Test
    @DisplayName("a live or merely expired key is never purged (expired keys stay listed until deleted)")
    void liveAndExpired() {
        ApiKeyRecord expired = ApiKeyRecord.issued("key-1", "org-1", "ik_x", CREATED, null).withDescription("d").withExpiresAt(REVOKED);
        assertThat(live().isPurgeableAt(REVOKED.plus(Duration.ofDays(400)))).isFalse();
        assertThat(expired.isPurgeableAt(REVOKED.plus(Duration.ofDays(400)))).isFalse();
    }
}
