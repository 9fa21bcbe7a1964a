package ai.intellia.keycloak.apikey.domain;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The original BigInteger implementation of {@link Base62}, kept verbatim as the reference the
 * fast one must match bit for bit: keys already handed out must keep parsing the same way.
 */
final class Base62Reference {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private Base62Reference() {
    }

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

    /** Any non-negative number in base62, without padding ("0" for zero). */
    static String digits(BigInteger value) {
        StringBuilder out = new StringBuilder();
        do {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        } while (value.signum() > 0);
        return out.reverse().toString();
    }
}
