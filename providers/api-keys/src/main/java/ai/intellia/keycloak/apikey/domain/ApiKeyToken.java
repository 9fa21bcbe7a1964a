package ai.intellia.keycloak.apikey.domain;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The secret string handed to a caller, and its parsing.
 *
 * <pre>ik_ KEYID(22) LOCATOR(22) SECRET(43) TAG(11) CRC(6)   (107 characters: keys issued now)
 * ik_ KEYID(22) LOCATOR(22) SECRET(43) CRC(6)            (96 characters: keys issued before the tag)</pre>
 *
 * Key id and locator are the UUIDs that make verification lookups by id instead of a search: the
 * locator is opaque here, handed out by the key store (today the id of the organization's key
 * holder user, so verification is two cache reads: user by id, then its credential by id); the 256-bit secret is the only part that is hashed and
 * stored; the {@link KeyTag} proves the ids were issued by the server, so a made-up key is refused
 * before any lookup; the CRC-32 over everything before it refuses typos before anything else.
 *
 * @param tag null for a key of the older, untagged format
 */
public record ApiKeyToken(String keyId, String locator, byte[] secret, byte[] tag) {

    public static final String PREFIX = "ik_";
    /** Characters shown in lists: "ik_" plus 13 characters of the key id, none of the secret. */
    public static final int DISPLAY_PREFIX_LENGTH = 16;

    private static final int UUID_BYTES = 16;
    private static final int SECRET_BYTES = 32;
    private static final int CRC_BYTES = 4;
    private static final int UUID_CHARS = Base62.width(UUID_BYTES);
    private static final int SECRET_CHARS = Base62.width(SECRET_BYTES);
    private static final int CRC_CHARS = Base62.width(CRC_BYTES);
    private static final int TAG_CHARS = Base62.width(KeyTag.BYTES);
    /** Length of an untagged key (the format issued before the tag). */
    static final int LENGTH = PREFIX.length() + 2 * UUID_CHARS + SECRET_CHARS + CRC_CHARS;
    static final int TAGGED_LENGTH = LENGTH + TAG_CHARS;

    /** An untagged key (the older format; still parsed and verified). */
    public ApiKeyToken(String keyId, String locator, byte[] secret) {
        this(keyId, locator, secret, null);
    }

    /** An untagged key: what keys looked like before the tag. */
    public static ApiKeyToken generate(String keyId, String locator, SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new ApiKeyToken(keyId, locator, secret);
    }

    /** A key tagged under the realm's {@code tagSecret}: what is issued now. */
    public static ApiKeyToken generate(String keyId, String locator, SecureRandom random, byte[] tagSecret) {
        ApiKeyToken untagged = generate(keyId, locator, random);
        return new ApiKeyToken(keyId, locator, untagged.secret(), KeyTag.of(tagSecret, keyId, locator));
    }

    /** Whether a bearer credential is meant as an API key (as opposed to a JWT). */
    public static boolean looksLikeApiKey(String credential) {
        return credential != null && credential.startsWith(PREFIX);
    }

    public static Optional<ApiKeyToken> parse(String text) {
        if (text == null || (text.length() != LENGTH && text.length() != TAGGED_LENGTH) || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int length = text.length();
        int crcAt = length - CRC_CHARS;
        byte[] crc = Base62.decode(text, crcAt, length, CRC_BYTES);
        if (crc == null || ByteBuffer.wrap(crc).getInt() != crc32(text, crcAt)) {
            return Optional.empty();
        }
        int at = PREFIX.length();
        int secretEnd = at + 2 * UUID_CHARS + SECRET_CHARS;
        byte[] keyId = Base62.decode(text, at, at += UUID_CHARS, UUID_BYTES);
        byte[] locator = Base62.decode(text, at, at += UUID_CHARS, UUID_BYTES);
        byte[] secret = Base62.decode(text, at, secretEnd, SECRET_BYTES);
        byte[] tag = length == TAGGED_LENGTH ? Base62.decode(text, secretEnd, crcAt, KeyTag.BYTES) : null;
        if (keyId == null || locator == null || secret == null || (length == TAGGED_LENGTH && tag == null)) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyToken(uuid(keyId).toString(), uuid(locator).toString(), secret, tag));
    }

    /** The full key; fails for ids that are not UUIDs (ours always are). */
    public String encode() {
        String body = PREFIX + Base62.encode(bytes(UUID.fromString(keyId))) + Base62.encode(bytes(UUID.fromString(locator)))
                + Base62.encode(secret) + (tag == null ? "" : Base62.encode(tag));
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
        return "ApiKeyToken[keyId=" + keyId + ", locator=" + locator + (tag == null ? ", untagged" : "") + "]";
    }
}
