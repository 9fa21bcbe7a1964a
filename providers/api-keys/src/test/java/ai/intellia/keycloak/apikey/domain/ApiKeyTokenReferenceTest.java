package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

/**
 * {@link ApiKeyToken#parse} against the original parse (BigInteger base62, CRC over
 * {@code substring(..).getBytes(US_ASCII)}): same answer for genuine, mistyped and forged keys.
 */
class ApiKeyTokenReferenceTest {

    private static final int CRC_AT = ApiKeyToken.LENGTH - 6;
    /** Chars that are not ASCII but whose low byte is a base62 digit ('A', 'z', '0'), and others. */
    private static final String NOT_ASCII = "\u0141\u017a\u0130\u00e9\uff21\u0100\u4e30\ud83d";

    /** The original parse, kept verbatim but for the names of the reference helpers. */
    private static Optional<String> referenceParse(String text) {
        if (text == null || text.length() != ApiKeyToken.LENGTH || !text.startsWith(ApiKeyToken.PREFIX)) {
            return Optional.empty();
        }
        byte[] crc = Base62Reference.decode(text.subSequence(CRC_AT, ApiKeyToken.LENGTH), 4);
        if (crc == null || ByteBuffer.wrap(crc).getInt() != crc32(text.substring(0, CRC_AT).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        int at = 3;
        byte[] keyId = Base62Reference.decode(text.subSequence(at, at += 22), 16);
        byte[] locator = Base62Reference.decode(text.subSequence(at, at += 22), 16);
        byte[] secret = Base62Reference.decode(text.subSequence(at, CRC_AT), 32);
        if (keyId == null || locator == null || secret == null) {
            return Optional.empty();
        }
        return Optional.of(describe(uuid(keyId).toString(), uuid(locator).toString(), secret));
    }

    private static Optional<String> parse(String text) {
        return ApiKeyToken.parse(text).map(t -> describe(t.keyId(), t.locator(), t.secret()));
    }

    /** Records with arrays compare by identity, so compare a description instead. */
    private static String describe(String keyId, String locator, byte[] secret) {
        return keyId + "/" + locator + "/" + Base62Reference.encode(secret);
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static UUID uuid(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** A body followed by the checksum of the given bytes (which need not be the body's). */
    private static String withChecksumOf(String body, byte[] checksummed) {
        return body + Base62Reference.encode(ByteBuffer.allocate(4).putInt(crc32(checksummed)).array());
    }

    private static void assertParsesLikeTheReference(String text) {
        assertThat(parse(text)).as(text).isEqualTo(referenceParse(text));
    }

    @Test
    void genuineAndMistypedKeysParseLikeTheReference() {
        Random random = new Random(7);
        SecureRandom secrets = new SecureRandom();
        String candidates = Base62Reference.ALPHABET + "_-" + NOT_ASCII;
        for (int run = 0; run < 2_000; run++) {
            String key = ApiKeyToken.generate(UUID.randomUUID().toString(), UUID.randomUUID().toString(), secrets).encode();
            assertThat(parse(key)).isPresent();
            assertParsesLikeTheReference(key);
            int at = random.nextInt(key.length());
            assertParsesLikeTheReference(key.substring(0, at) + candidates.charAt(random.nextInt(candidates.length())) + key.substring(at + 1));
        }
    }

    @Test
    void nonAsciiCharsAreRefusedEvenWithAChecksumOverTheirLowByte() {
        String key = ApiKeyToken.generate(UUID.randomUUID().toString(), UUID.randomUUID().toString(), new SecureRandom()).encode();
        for (char c : NOT_ASCII.toCharArray()) {
            for (int at = 3; at < CRC_AT; at += 7) {
                String body = key.substring(0, at) + c + key.substring(at + 1, CRC_AT);
                byte[] lowBytes = new byte[body.length()];
                for (int i = 0; i < lowBytes.length; i++) {
                    lowBytes[i] = (byte) body.charAt(i);
                }
                // A checksum over what the new CRC reads, and one over what the old CRC read.
                for (String forged : new String[] {withChecksumOf(body, lowBytes), withChecksumOf(body, body.getBytes(StandardCharsets.US_ASCII))}) {
                    assertThat(parse(forged)).as(forged).isEmpty();
                    assertParsesLikeTheReference(forged);
                }
            }
        }
    }
}
