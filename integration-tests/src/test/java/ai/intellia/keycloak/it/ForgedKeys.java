package ai.intellia.keycloak.it;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Keys made up or altered from a genuine one, for the tests that must be refused: the one place
 * that knows the key layout ({@code ik_}, key id, holder id, secret, tag, checksum) and so the
 * offsets the forgeries cut at.
 */
final class ForgedKeys {

    static final int KEY_ID_AT = 3;
    static final int HOLDER_AT = KEY_ID_AT + 22;
    static final int SECRET_AT = HOLDER_AT + 22;
    static final int TAG_AT = SECRET_AT + 43;
    static final int CHECKSUM_LENGTH = 6;
    /** A key of the older format: no tag. */
    static final int UNTAGGED_LENGTH = TAG_AT + CHECKSUM_LENGTH;
    static final int TAGGED_LENGTH = TAG_AT + 11 + CHECKSUM_LENGTH;

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ForgedKeys() {
    }

    /** The last character changed: a typo, refused by the checksum. */
    static String typo(String key) {
        return flipped(key, key.length() - 1);
    }

    /** One character of the secret changed and the old checksum kept: refused by the checksum. */
    static String secretTypo(String key) {
        return flipped(key, SECRET_AT + 13);
    }

    /** The key with its ids and tag but another secret (43 base62 characters) and a valid checksum: only the hash refuses it. */
    static String withSecret(String key, String secret) {
        return withChecksum(key.substring(0, SECRET_AT) + secret + key.substring(TAG_AT, key.length() - CHECKSUM_LENGTH));
    }

    /** The genuine ids and secret with a made-up tag and a valid checksum: refused by the tag, in memory. */
    static String withMadeUpTag(String key) {
        return withChecksum(key.substring(0, TAG_AT) + digits(11));
    }

    /** A well-formed key with a valid checksum whose every segment is made up. */
    static String madeUp() {
        return withChecksum("ik_" + digits(22) + digits(22) + digits(43) + digits(11));
    }

    /** The genuine key in the older untagged format (which keeps working). */
    static String untagged(String key) {
        return withChecksum(key.substring(0, TAG_AT));
    }

    /** The untagged key with a made-up holder id. */
    static String untaggedWithMadeUpHolder(String key) {
        return withChecksum(key.substring(0, HOLDER_AT) + digits(22) + key.substring(SECRET_AT, TAG_AT));
    }

    /**
     * A key assembled as the server builds one: {@code ik_} + key id + holder id + secret + tag
     * (the first 8 bytes of HMAC-SHA256 of "keyId/holderId" under the realm's tag secret) + CRC-32,
     * all fixed-width base62. For data stored by an earlier release, whose keys the tests rebuild.
     */
    static String assemble(String keyId, String holderId, byte[] secret, byte[] tagSecret) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(tagSecret, "HmacSHA256"));
            byte[] tag = java.util.Arrays.copyOf(mac.doFinal((keyId + "/" + holderId).getBytes(StandardCharsets.US_ASCII)), 8);
            return withChecksum("ik_" + base62(uuid(keyId), HOLDER_AT - KEY_ID_AT) + base62(uuid(holderId), SECRET_AT - HOLDER_AT)
                    + base62(secret, TAG_AT - SECRET_AT) + base62(tag, TAGGED_LENGTH - CHECKSUM_LENGTH - TAG_AT));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] uuid(String id) {
        java.util.UUID uuid = java.util.UUID.fromString(id);
        return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    /** Big-endian unsigned, left-padded with '0' to {@code width} characters. */
    private static String base62(byte[] bytes, int width) {
        java.math.BigInteger value = new java.math.BigInteger(1, bytes);
        java.math.BigInteger base = java.math.BigInteger.valueOf(62);
        StringBuilder out = new StringBuilder();
        while (value.signum() > 0) {
            java.math.BigInteger[] qr = value.divideAndRemainder(base);
            out.append(BASE62.charAt(qr[1].intValue()));
            value = qr[0];
        }
        while (out.length() < width) {
            out.append('0');
        }
        return out.reverse().toString();
    }

    /** {@code n} base62 characters whose value fits the segment (a leading '0' keeps it in range). */
    static String digits(int n) {
        StringBuilder out = new StringBuilder("0");
        for (int i = 1; i < n; i++) {
            out.append(BASE62.charAt(RANDOM.nextInt(62)));
        }
        return out.toString();
    }

    /** The body followed by its valid checksum (CRC-32 in six base62 characters). */
    static String withChecksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return body + new String(out);
    }

    private static String flipped(String key, int at) {
        return key.substring(0, at) + (key.charAt(at) == 'a' ? 'b' : 'a') + key.substring(at + 1);
    }
}
