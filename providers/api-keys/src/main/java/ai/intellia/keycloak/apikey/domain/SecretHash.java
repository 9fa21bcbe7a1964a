package ai.intellia.keycloak.apikey.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256 of the key's secret. The secret is 256 random bits, so a slow password KDF would add
 * latency and no security; what is stored is useless to anyone who reads the database.
 */
public final class SecretHash {

    private SecretHash() {
    }

    public static String of(byte[] secret) {
        return Base64.getEncoder().encodeToString(sha256(secret));
    }

    /** Constant-time comparison with a stored hash; false for anything malformed. */
    public static boolean matches(byte[] secret, String storedHash) {
        if (storedHash == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret), expected);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
