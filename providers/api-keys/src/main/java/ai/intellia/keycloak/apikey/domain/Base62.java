package ai.intellia.keycloak.apikey.domain;

import java.util.Arrays;

/**
 * Fixed-width base62 ({@code [0-9A-Za-z]}) for byte strings. Keys must be {@code [A-Za-z0-9_]}
 * only, so base64url ('-') is out; a fixed width per byte count keeps the key layout positional.
 *
 * <p>The arithmetic runs on the number as little-endian 32-bit limbs ({@code int[]}, index 0 least
 * significant) instead of {@code BigInteger}, which made up most of the cost of parsing a key.
 * Digits go five at a time: 62^5 &lt; 2^30, so a limb times 62^5 plus a carry fits in a long.
 */
final class Base62 {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** Digit value of each ASCII char, -1 for chars outside the alphabet. */
    private static final byte[] DIGITS = new byte[128];
    private static final int CHUNK_DIGITS = 5;
    private static final long CHUNK_BASE = 62L * 62 * 62 * 62 * 62;

    static {
        Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DIGITS[ALPHABET[i]] = (byte) i;
        }
    }

    private Base62() {
    }

    /** Number of base62 characters needed for any value of {@code bytes} bytes. */
    static int width(int bytes) {
        return (int) Math.ceil(bytes * 8 / (Math.log(62) / Math.log(2)));
    }

    /** Big-endian unsigned {@code bytes}, left-padded with '0' to {@link #width}. */
    static String encode(byte[] bytes) {
        int[] limbs = new int[limbCount(bytes.length)];
        for (int i = 0; i < bytes.length; i++) {
            int fromRight = bytes.length - 1 - i;
            limbs[fromRight / 4] |= (bytes[i] & 0xFF) << (8 * (fromRight % 4));
        }
        char[] out = new char[width(bytes.length)];
        // Fill from the right, five digits per division; a value of zero gives the '0' padding.
        for (int end = out.length; end > 0; end -= CHUNK_DIGITS) {
            long chunk = divide(limbs, CHUNK_BASE);
            for (int i = end - 1; i >= Math.max(0, end - CHUNK_DIGITS); i--) {
                out[i] = ALPHABET[(int) (chunk % 62)];
                chunk /= 62;
            }
        }
        return new String(out);
    }

    /**
     * Decodes {@code text[from, to)} into exactly {@code bytes} bytes, without cutting it out
     * first; null when it is not base62 or does not fit. A range of any length is read as a
     * number: extra leading zeros are fine, a short one is left-padded.
     */
    static byte[] decode(CharSequence text, int from, int to, int bytes) {
        if (bytes < 0) {
            return null;
        }
        int[] limbs = new int[limbCount(bytes)];
        for (int at = from; at < to; ) {
            int chunkEnd = Math.min(to, at + CHUNK_DIGITS);
            long chunk = 0;
            long base = 1;
            for (; at < chunkEnd; at++) {
                char c = text.charAt(at);
                int digit = c < DIGITS.length ? DIGITS[c] : -1;
                if (digit < 0) {
                    return null;
                }
                chunk = chunk * 62 + digit;
                base *= 62;
            }
            // The value only grows digit by digit, so once it overflows the limbs it never fits.
            if (multiplyAdd(limbs, base, chunk) != 0) {
                return null;
            }
        }
        // The top limb may have room for more bits than the byte count allows.
        int topBits = 8 * (bytes % 4);
        if (topBits != 0 && limbs[limbs.length - 1] >>> topBits != 0) {
            return null;
        }
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int fromRight = bytes - 1 - i;
            out[i] = (byte) (limbs[fromRight / 4] >>> (8 * (fromRight % 4)));
        }
        return out;
    }

    private static int limbCount(int bytes) {
        return (bytes + 3) / 4;
    }

    /** limbs = limbs * factor + addend (both below 2^31); returns the carry out of the top limb. */
    private static long multiplyAdd(int[] limbs, long factor, long addend) {
        long carry = addend;
        for (int i = 0; i < limbs.length; i++) {
            long product = (limbs[i] & 0xFFFFFFFFL) * factor + carry;
            limbs[i] = (int) product;
            carry = product >>> 32;
        }
        return carry;
    }

    /** limbs = limbs / divisor (below 2^31); returns the remainder. */
    private static long divide(int[] limbs, long divisor) {
        long remainder = 0;
        for (int i = limbs.length - 1; i >= 0; i--) {
            long current = (remainder << 32) | (limbs[i] & 0xFFFFFFFFL);
            limbs[i] = (int) (current / divisor);
            remainder = current % divisor;
        }
        return remainder;
    }
}
