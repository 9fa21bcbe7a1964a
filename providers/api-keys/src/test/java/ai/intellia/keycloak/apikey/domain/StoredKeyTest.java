package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StoredKeyTest {

    private static final ApiKeyRecord RECORD = ApiKeyRecord.issued("key-1", "org-1", "ik_0123456789abc",
            Instant.parse("2026-11-28T10:00:00Z"), "user-1").withDescription("d");
    private static final String HASH = SecretHash.of(new byte[32]);

    @Test
    void theSecretIsStoredExactlyAsKeysIssuedBeforeWere() {
        // what ApiKeyService wrote by string concatenation up to 0.2.0: keys issued then must still verify
        String before = "{\"sha256\":\"" + HASH + "\"}";
        assertThat(new StoredKey(RECORD, HASH).secretDataJson()).isEqualTo(before);
        assertThat(StoredKey.parse("key-1", RECORD.toStoredJson(), before).secretHash()).isEqualTo(HASH);
    }

    @Test
    void theRecordRoundTrips() {
        StoredKey stored = new StoredKey(RECORD, HASH);
        assertThat(StoredKey.parse("key-1", stored.credentialDataJson(), stored.secretDataJson())).isEqualTo(stored);
    }

    @ParameterizedTest(name = "secretData \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"garbage", "{", "[]", "{}", "{\"sha256\":null}", "{\"sha256\":42}", "{\"sha256\":\"a\"}x"})
    void aDamagedSecretKeepsTheRecordButNoHash(String secretData) {
        StoredKey stored = StoredKey.parse("key-1", RECORD.toStoredJson(), secretData);
        assertThat(stored.record()).isEqualTo(RECORD);
        assertThat(stored.secretHash()).isNull();
    }

    @Test
    void damagedCredentialDataIsNoKey() {
        assertThat(StoredKey.parse("key-1", "{}", "{\"sha256\":\"" + HASH + "\"}")).isNull();
    }
}
