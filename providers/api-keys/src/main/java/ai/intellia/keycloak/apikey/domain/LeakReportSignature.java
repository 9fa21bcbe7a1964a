package ai.intellia.keycloak.apikey.domain;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * The signature of a leak report in GitHub's secret-scanning partner format: header
 * {@code Github-Public-Key-Identifier} names one of the configured keys, header
 * {@code Github-Public-Key-Signature} is the base64 of an ASN.1/DER ECDSA P-256 SHA-256
 * signature over the raw body bytes.
 */
public final class LeakReportSignature {

    private LeakReportSignature() {
    }

    /** Whether the body was signed by the key named {@code identifier} among {@code keys}; false for anything missing or malformed. */
    public static boolean verify(Map<String, PublicKey> keys, String identifier, String signatureBase64, byte[] body) {
        if (identifier == null || signatureBase64 == null || body == null) {
            return false;
        }
        PublicKey key = keys.get(identifier.strip());
        if (key == null) {
            return false;
        }
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64.strip());
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false; // not base64, not DER: a bad signature like any other
        }
    }
}
