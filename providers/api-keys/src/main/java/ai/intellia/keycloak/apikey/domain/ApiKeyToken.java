package ai.intellia.keycloak.apikey.domain;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The secret string handed to a caller, and its parsing.
 *
 * <pre>ik_ KEYID(22) HOLDER(22) SECRET(43) CRC(6)</pre>
 *
 * Key id and holder id are the UUIDs that make verification two cache reads (user by id, then its
 * credential by id) instead of a search; the 256-bit secret is the only part that is hashed and
 * stored; the CRC-32 over everything before it refuses typos and made-up keys before any lookup.
 */
public record ApiKeyToken(String keyId, String holderId, byte[] secret) {

    public static final String PREFIX = "ik_";
    /** Characters shown in lists: "ik_" plus 13 characters of the key id, none of the secret. */
    public static final int DISPLAY_PREFIX_LENGTH = 16;

    private static final int UUID_BYTES = 16;
    private static final int SECRET_BYTES = 32;
    private static final int CRC_BYTES = 4;
    private static final int UUID_CHARS = Base62.width(UUID_BYTES);
    private static final int SECRET_CHARS = Base62.width(SECRET_BYTES);
    private static final int CRC_CHARS = Base62.width(CRC_BYTES);
    static final int LENGTH = PREFIX.length() + 2 * UUID_CHARS + SECRET_CHARS + CRC_CHARS;

    public static ApiKeyToken generate(String keyId, String holderId, SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new ApiKeyToken(keyId, holderId, secret);
    }

    /** Whether a bearer credential is meant as an API key (as opposed to a JWT). */
    public static boolean looksLikeApiKey(String credential) {
        return credential != null && credential.startsWith(PREFIX);
    }

    public static Optional<ApiKeyToken> parse(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int crcAt = LENGTH - CRC_CHARS;
        byte[] crc = Base62.decode(text, crcAt, LENGTH, CRC_BYTES);
        if (crc == null || ByteBuffer.wrap(crc).getInt() != crc32(text, crcAt)) {
            return Optional.empty();
        }
        int at = PREFIX.length();
        byte[] keyId = Base62.decode(text, at, at += UUID_CHARS, UUID_BYTES);
        byte[] holderId = Base62.decode(text, at, at += UUID_CHARS, UUID_BYTES);
        byte[] secret = Base62.decode(text, at, crcAt, SECRET_BYTES);
        if (keyId == null || holderId == null || secret == null) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyToken(uuid(keyId).toString(), uuid(holderId).toString(), secret));
    }

    /** The full key; fails for ids that are not UUIDs (ours always are). */
    public String encode() {
        String body = PREFIX + Base62.encode(bytes(UUID.fromString(keyId))) + Base62.encode(bytes(UUID.fromString(holderId)))
                + Base62.encode(secret);
        byte[] crc = ByteBuffer.allocate(CRC_BYTES).putInt(crc32(body, body.length())).array();
        return body + Base62.encode(crc);
    }

    public String displayPrefix() {
        return encode().substring(0, DISPLAY_PREFIX_LENGTH);
    }

    /**
     * CRC-32 of the ASCII bytes of {@code text[0, end)}: one byte copy, not a substring plus getBytes.
     * A char above 127 gives a different CRC than {@code getBytes(US_ASCII)} would ('?'), but
     * that cannot change a parse: every char before the CRC is either the checked prefix or
     * base62, so such a key is refused by the decoding anyway.
     */
    private static int crc32(String text, int end) {
        byte[] ascii = new byte[end];
        for (int i = 0; i < end; i++) {
            ascii[i] = (byte) text.charAt(i);
        }
        CRC32 crc = new CRC32();
        crc.update(ascii);
        return (int) crc.getValue();
    }

    private static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(UUID_BYTES).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    private static UUID uuid(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    @Override
    public String toString() {
        // Never print the secret, not even by accident in a log line.
        return "ApiKeyToken[keyId=" + keyId + ", holderId=" + holderId + "]";
    }
}
