package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTokenTest {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    // Layout from the class comment: ik_ KEYID(22) HOLDER(22) SECRET(43) CRC(6)
    private static final int KEY_ID_AT = 3;
    private static final int HOLDER_AT = KEY_ID_AT + 22;
    private static final int SECRET_AT = HOLDER_AT + 22;
    private static final int CRC_AT = SECRET_AT + 43;
    private static final int LENGTH = CRC_AT + 6;

    private static ApiKeyToken newToken() {
        return ApiKeyToken.generate(UUID.randomUUID().toString(), UUID.randomUUID().toString(), RANDOM);
    }

    /** A key whose checksum is right for whatever body it is given. */
    private static String withValidChecksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return body + Base62.encode(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Nested
    @DisplayName("given a generated key")
    class GeneratedKey {

        private final String keyId = UUID.randomUUID().toString();
        private final String locator = UUID.randomUUID().toString();
        private final ApiKeyToken token = ApiKeyToken.generate(keyId, locator, RANDOM);
        private final String key = token.encode();

        @Test
        @DisplayName("then parsing its encoding returns the same key id, holder id and secret")
        void roundTripsThroughEncodeAndParse() {
            ApiKeyToken parsed = ApiKeyToken.parse(key).orElseThrow();
            assertThat(parsed.keyId()).isEqualTo(keyId);
            assertThat(parsed.locator()).isEqualTo(locator);
            assertThat(parsed.secret()).isEqualTo(token.secret());
        }

        @Test
        @DisplayName("then the key starts with ik_, is [A-Za-z0-9_] only and at most 128 characters")
        void keyHasTheContractFormat() {
            assertThat(key).startsWith("ik_").matches("[A-Za-z0-9_]+").hasSizeLessThanOrEqualTo(128);
            assertThat(key).hasSize(ApiKeyToken.LENGTH).hasSize(LENGTH);
        }

        @Test
        @DisplayName("then the secret carries 256 random bits (contract: at least 192)")
        void secretHas256Bits() {
            assertThat(token.secret()).hasSize(32);
        }

        @Test
        @DisplayName("then encoding is deterministic")
        void encodingIsStable() {
            assertThat(token.encode()).isEqualTo(key);
            assertThat(ApiKeyToken.parse(key).orElseThrow().encode()).isEqualTo(key);
        }

        @Test
        @DisplayName("then it looks like an API key")
        void looksLikeAnApiKey() {
            assertThat(ApiKeyToken.looksLikeApiKey(key)).isTrue();
        }

        @Test
        @DisplayName("then the display prefix is at least 12 characters and a prefix of the key")
        void displayPrefixIsAPrefixOfTheKey() {
            assertThat(token.displayPrefix()).hasSizeGreaterThanOrEqualTo(12);
            assertThat(key).startsWith(token.displayPrefix());
        }

        @Test
        @DisplayName("then the display prefix stops before the secret segment")
        void displayPrefixHasNoPartOfTheSecret() {
            assertThat(token.displayPrefix().length()).isLessThanOrEqualTo(SECRET_AT);
            String secretSegment = key.substring(SECRET_AT, CRC_AT);
            assertThat(decodeAll(secretSegment, 32)).isEqualTo(token.secret());
        }

        @Test
        @DisplayName("then toString shows neither the key nor the secret")
        void toStringHidesKeyAndSecret() {
            String text = token.toString();
            assertThat(text)
                    .doesNotContain(key)
                    .doesNotContain(key.substring(SECRET_AT, CRC_AT))
                    .doesNotContain(Base64.getEncoder().encodeToString(token.secret()))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(token.secret()))
                    .doesNotContain(Arrays.toString(token.secret()));
        }

        @Test
        @DisplayName("then every single-character substitution is refused")
        void everySubstitutionIsRefused() {
            List<String> accepted = new ArrayList<>();
            String candidates = ALPHABET + "_";
            for (int i = 0; i < key.length(); i++) {
                for (char c : candidates.toCharArray()) {
                    if (c == key.charAt(i)) {
                        continue;
                    }
                    String typo = key.substring(0, i) + c + key.substring(i + 1);
                    if (ApiKeyToken.parse(typo).isPresent()) {
                        accepted.add(typo);
                    }
                }
            }
            assertThat(accepted).isEmpty();
        }

        @Test
        @DisplayName("then swapping any two adjacent different characters is refused")
        void everyAdjacentTranspositionIsRefused() {
            List<Integer> accepted = new ArrayList<>();
            for (int i = 0; i + 1 < key.length(); i++) {
                if (key.charAt(i) == key.charAt(i + 1)) {
                    continue;
                }
                String swapped = key.substring(0, i) + key.charAt(i + 1) + key.charAt(i) + key.substring(i + 2);
                if (ApiKeyToken.parse(swapped).isPresent()) {
                    accepted.add(i);
                }
            }
            assertThat(accepted).isEmpty();
        }

        @Test
        @DisplayName("then truncated, extended, padded, re-cased or re-prefixed copies are refused")
        void mangledCopiesAreRefused() {
            assertThat(Stream.of(
                    key.substring(0, key.length() - 1),
                    key.substring(1),
                    key.substring(0, CRC_AT),
                    key.substring(0, 12),
                    key + "A",
                    "A" + key,
                    key + key,
                    " " + key,
                    key + " ",
                    key + "\n",
                    key.toUpperCase(),
                    key.toLowerCase(),
                    "IK_" + key.substring(3),
                    "ak_" + key.substring(3),
                    "ik-" + key.substring(3),
                    "ik" + key.substring(3) + "A",
                    "Bearer " + key))
                    .allSatisfy(mangled -> assertThat(ApiKeyToken.parse(mangled)).as(mangled).isEmpty());
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"ik_", "ik", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig"})
    void parseRefusesNullEmptyAndNonKeys(String text) {
        assertThat(ApiKeyToken.parse(text)).isEmpty();
    }

    @Test
    void parseRefusesMadeUpKeysOfTheRightShape() {
        String madeUp = "ik_" + "A".repeat(LENGTH - 3);
        assertThat(madeUp).hasSize(LENGTH);
        assertThat(ApiKeyToken.parse(madeUp)).isEmpty();
    }

    @Test
    void parseRefusesANonBase62CharacterEvenWithAMatchingChecksum() {
        String key = newToken().encode();
        String body = key.substring(0, SECRET_AT + 5) + "_" + key.substring(SECRET_AT + 6, CRC_AT);
        String forged = withValidChecksum(body);
        assertThat(forged).hasSize(LENGTH).startsWith("ik_");
        assertThat(ApiKeyToken.parse(forged)).isEmpty();
    }

    @Test
    void parseRefusesAnOverflowingSegmentEvenWithAMatchingChecksum() {
        String key = newToken().encode();
        String body = "ik_" + "z".repeat(22) + key.substring(HOLDER_AT, CRC_AT);
        assertThat(ApiKeyToken.parse(withValidChecksum(body))).isEmpty();
    }

    @Test
    void checksumHelperReproducesRealKeys() {
        // Guards the two tests above: with an untouched body the forged checksum is the real one.
        String key = newToken().encode();
        assertThat(withValidChecksum(key.substring(0, CRC_AT))).isEqualTo(key);
    }

    static Stream<Arguments> extremeTokens() {
        String zero = new UUID(0, 0).toString();
        String max = new UUID(-1L, -1L).toString();
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        return Stream.of(
                Arguments.of(zero, zero, zeros),
                Arguments.of(max, max, ones),
                Arguments.of(zero, max, ones),
                Arguments.of(max, zero, zeros));
    }

    @ParameterizedTest(name = "key id {0}, holder id {1}")
    @MethodSource("extremeTokens")
    void extremeIdsAndSecretsRoundTrip(String keyId, String locator, byte[] secret) {
        String key = new ApiKeyToken(keyId, locator, secret).encode();
        assertThat(key).hasSize(LENGTH).matches("ik_[A-Za-z0-9]+");
        ApiKeyToken parsed = ApiKeyToken.parse(key).orElseThrow();
        assertThat(parsed.keyId()).isEqualTo(keyId);
        assertThat(parsed.locator()).isEqualTo(locator);
        assertThat(parsed.secret()).isEqualTo(secret);
    }

    @Test
    void twoGeneratedKeysDiffer() {
        String keyId = UUID.randomUUID().toString();
        String locator = UUID.randomUUID().toString();
        ApiKeyToken a = ApiKeyToken.generate(keyId, locator, RANDOM);
        ApiKeyToken b = ApiKeyToken.generate(keyId, locator, RANDOM);
        assertThat(a.encode()).isNotEqualTo(b.encode());
        assertThat(a.secret()).isNotEqualTo(b.secret());
    }

    @Test
    void manyGeneratedKeysAreAllDistinct() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(newToken().encode());
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void displayPrefixesTellKeysWithDifferentIdsApart() {
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            prefixes.add(newToken().displayPrefix());
        }
        assertThat(prefixes).hasSize(1000);
    }

    @Test
    void displayPrefixDoesNotDependOnTheSecret() {
        String keyId = UUID.randomUUID().toString();
        String locator = UUID.randomUUID().toString();
        assertThat(ApiKeyToken.generate(keyId, locator, RANDOM).displayPrefix())
                .isEqualTo(ApiKeyToken.generate(keyId, locator, RANDOM).displayPrefix());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"eyJhbGciOiJSUzI1NiJ9.e30.sig", "IK_abc", "ik-abc"})
    void jwtsAndOtherCredentialsDoNotLookLikeApiKeys(String credential) {
        assertThat(ApiKeyToken.looksLikeApiKey(credential)).isFalse();
    }

    /** The whole text, as {@code Base62.decode} reads a range of a key. */
    private static byte[] decodeAll(String text, int bytes) {
        return Base62.decode(text, 0, text.length(), bytes);
    }
}
