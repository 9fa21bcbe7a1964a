package ai.intellia.keycloak.apikey.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The keyed check in a key: the first 64 bits of HMAC-SHA256 over its key id and holder id, under
 * a secret the cluster shares (one per realm, never leaves the server). The CRC only refuses typos:
 * anyone can compute it, so a made-up key with a valid CRC would cost a lookup of its holder. The
 * tag cannot be made up, so such a key is refused here, in memory, before any lookup. It is not
 * the credential (the secret's hash is): it only decides whether a key is worth looking up.
 */
public final class KeyTag {

    public static final int BYTES = 8;
    public static final int SECRET_BYTES = 32;

    private KeyTag() {
    }

    public static byte[] of(byte[] tagSecret, String keyId, String locator) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tagSecret, "HmacSHA256"));
            mac.update(keyId.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '/');
            mac.update(locator.getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(mac.doFinal(), BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Whether the key carries the tag of its own ids under this secret (constant time). */
    public static boolean matches(byte[] tagSecret, ApiKeyToken token) {
        return tagSecret != null && token.tag() != null
                && MessageDigest.isEqual(of(tagSecret, token.keyId(), token.locator()), token.tag());
    }
}
