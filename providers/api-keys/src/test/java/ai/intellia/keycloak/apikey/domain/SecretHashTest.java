package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHashTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] secret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    @Test
    void aSecretMatchesItsOwnHash() {
        byte[] secret = secret();
        assertThat(SecretHash.matches(secret, SecretHash.of(secret))).isTrue();
    }

    @Test
    void aCopyOfTheSecretMatchesToo() {
        byte[] secret = secret();
        assertThat(SecretHash.matches(secret.clone(), SecretHash.of(secret))).isTrue();
    }

    @Test
    void anotherSecretDoesNotMatch() {
        assertThat(SecretHash.matches(secret(), SecretHash.of(secret()))).isFalse();
    }

    @Test
    void aSecretOneBitAwayDoesNotMatch() {
        byte[] secret = secret();
        byte[] flipped = secret.clone();
        flipped[31] ^= 1;
        assertThat(SecretHash.matches(flipped, SecretHash.of(secret))).isFalse();
    }

    @Test
    void theHashIsDeterministicSha256AndNotTheSecretItself() throws Exception {
        byte[] secret = secret();
        String hash = SecretHash.of(secret);
        assertThat(SecretHash.of(secret)).isEqualTo(hash);
        assertThat(Base64.getDecoder().decode(hash)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(secret));
        assertThat(hash).isNotEqualTo(Base64.getEncoder().encodeToString(secret));
    }

    @ParameterizedTest(name = "stored hash \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "not base64 at all!", "%%%%", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "c2VjcmV0", "{\"hash\":\"x\"}"})
    void aNullOrGarbageStoredHashNeverMatches(String stored) {
        assertThat(SecretHash.matches(secret(), stored)).isFalse();
    }

    @Test
    void theHashOfAllZeroBytesDoesNotMatchAnAllZeroStoredValue() {
        byte[] zeros = new byte[32];
        assertThat(SecretHash.matches(zeros, Base64.getEncoder().encodeToString(zeros))).isFalse();
    }

    @Test
    void aTruncatedHashDoesNotMatch() {
        byte[] secret = secret();
        byte[] hash = Base64.getDecoder().decode(SecretHash.of(secret));
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(hash, 16));
        assertThat(SecretHash.matches(secret, truncated)).isFalse();
    }
}
