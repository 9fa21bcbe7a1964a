package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyTagTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] secret() {
        byte[] secret = new byte[KeyTag.SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    private static ApiKeyToken tagged(byte[] tagSecret) {
        return ApiKeyToken.generate(UUID.randomUUID().toString(), UUID.randomUUID().toString(), RANDOM, tagSecret);
    }

    @Test
    @DisplayName("given a tagged key then it is 107 characters, parses back with its tag, and the tag matches its realm's secret")
    void taggedKeysRoundTrip() {
        byte[] realm = secret();
        ApiKeyToken token = tagged(realm);
        String key = token.encode();

        assertThat(key).hasSize(107).matches("ik_[A-Za-z0-9]{104}");
        ApiKeyToken parsed = ApiKeyToken.parse(key).orElseThrow();
        assertThat(parsed.keyId()).isEqualTo(token.keyId());
        assertThat(parsed.locator()).isEqualTo(token.locator());
        assertThat(parsed.secret()).isEqualTo(token.secret());
        assertThat(KeyTag.matches(realm, parsed)).isTrue();
        assertThat(parsed.displayPrefix()).isEqualTo(token.displayPrefix()).isEqualTo(key.substring(0, 16));
    }

    @Test
    @DisplayName("given another realm's secret, a made-up tag, or no tag then the tag does not match")
    void madeUpTagsDoNotMatch() {
        byte[] realm = secret();
        ApiKeyToken token = tagged(realm);
        assertThat(KeyTag.matches(secret(), token)).isFalse();
        byte[] madeUp = token.tag().clone();
        madeUp[0] ^= 1;
        assertThat(KeyTag.matches(realm, new ApiKeyToken(token.keyId(), token.locator(), token.secret(), madeUp))).isFalse();
        assertThat(KeyTag.matches(realm, new ApiKeyToken(token.keyId(), token.locator(), token.secret()))).isFalse();
        assertThat(KeyTag.matches(null, token)).isFalse();
        // the tag binds both ids: another holder id with the same tag does not match
        assertThat(KeyTag.matches(realm, new ApiKeyToken(token.keyId(), UUID.randomUUID().toString(), token.secret(), token.tag()))).isFalse();
    }

    @Test
    @DisplayName("given 10,000 made-up tags with valid checksums then none matches (64-bit tag)")
    void forgeriesWithValidChecksumsAreRefusedByTheTag() {
        byte[] realm = secret();
        int parsedButForged = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] tag = new byte[KeyTag.BYTES];
            RANDOM.nextBytes(tag);
            String forged = new ApiKeyToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), new byte[32], tag).encode();
            ApiKeyToken parsed = ApiKeyToken.parse(forged).orElseThrow(); // the CRC is public: it parses
            assertThat(KeyTag.matches(realm, parsed)).isFalse();
            parsedButForged++;
        }
        assertThat(parsedButForged).isEqualTo(10_000);
    }

    @Test
    @DisplayName("given an untagged key (the format issued before) then it still parses, without a tag")
    void untaggedKeysStillParse() {
        ApiKeyToken legacy = ApiKeyToken.generate(UUID.randomUUID().toString(), UUID.randomUUID().toString(), RANDOM);
        String key = legacy.encode();
        assertThat(key).hasSize(96);
        assertThat(ApiKeyToken.parse(key).orElseThrow().tag()).isNull();
    }

    @Test
    @DisplayName("given a tagged key with one character changed or its tag cut off badly then the parse refuses it")
    void mangledTaggedKeysAreRefused() {
        String key = tagged(secret()).encode();
        for (int i = 3; i < key.length(); i++) {
            char c = key.charAt(i) == 'a' ? 'b' : 'a';
            assertThat(ApiKeyToken.parse(key.substring(0, i) + c + key.substring(i + 1))).as("position " + i).isEmpty();
        }
        assertThat(ApiKeyToken.parse(key.substring(0, 101))).isEmpty();
    }
}
