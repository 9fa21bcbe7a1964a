package ai.intellia.keycloak.apikey.domain;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Fixed-width base62 ({@code [0-9A-Za-z]}) for byte strings. Keys must be {@code [A-Za-z0-9_]}
 * only, so base64url ('-') is out; a fixed width per byte count keeps the key layout positional.
 */
final class Base62 {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private Base62() {
    }

    /** Number of base62 characters needed for any value of {@code bytes} bytes. */
    static int width(int bytes) {
        return (int) Math.ceil(bytes * 8 / (Math.log(62) / Math.log(2)));
    }

    static String encode(byte[] bytes) {
        BigInteger value = new BigInteger(1, bytes);
        char[] out = new char[width(bytes.length)];
        Arrays.fill(out, '0');
        for (int i = out.length - 1; value.signum() > 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            value = qr[0];
        }
        return new String(out);
    }

    /** Decodes exactly {@code bytes} bytes; null when the text is not base62 or does not fit. */
    static byte[] decode(CharSequence text, int bytes) {
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                return null;
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        if (value.bitLength() > bytes * 8) {
            return null;
        }
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        return out;
    }
}
