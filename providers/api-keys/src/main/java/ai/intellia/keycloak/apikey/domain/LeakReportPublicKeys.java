package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The setting {@code leakReportPublicKeys}: identifier → PEM of the EC P-256 public keys that a
 * secret scanner (GitHub's partner program) signs its leak reports with. Held as JSON text; a
 * value that is not such a key makes the whole setting invalid (refused on write, ignored on read).
 */
public final class LeakReportPublicKeys {

    /** Few: a scanner publishes two or three; the console tab stores the whole setting in one 4,000-character component value. */
    public static final int MAX_KEYS = 10;
    /** The order n of the P-256 (secp256r1) group: tells this curve from other 256-bit ones. */
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private LeakReportPublicKeys() {
    }

    /** The setting's attribute text, normalised (compact JSON); {@code invalid} when any entry is not a P-256 key. */
    static String check(String text, Supplier<ApiError> invalid) {
        ObjectNode normalised = StrictJson.mapper().createObjectNode();
        JsonNode json;
        try {
            json = StrictJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid.get();
        }
        if (json == null || !json.isObject() || json.size() > MAX_KEYS) {
            throw invalid.get();
        }
        json.fields().forEachRemaining(entry -> {
            String id = entry.getKey();
            if (id.isEmpty() || id.length() > 100 || id.chars().anyMatch(Character::isISOControl)
                    || !entry.getValue().isTextual() || publicKey(entry.getValue().textValue()) == null) {
                throw invalid.get();
            }
            normalised.put(id, entry.getValue().textValue().strip());
        });
        return normalised.toString();
    }

    /** The keys of a valid setting's text (empty for null). */
    public static Map<String, PublicKey> parse(String text) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return keys;
        }
        try {
            StrictJson.mapper().readTree(text).fields()
                    .forEachRemaining(e -> keys.put(e.getKey(), publicKey(e.getValue().asText())));
        } catch (JsonProcessingException e) {
            return Map.of();
        }
        keys.values().removeIf(k -> k == null);
        return keys;
    }

    /** The PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo) as a P-256 key, or null. */
    public static PublicKey publicKey(String pem) {
        if (pem == null) {
            return null;
        }
        String body = pem.strip();
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        if (!body.startsWith(begin) || !body.endsWith(end)) {
            return null;
        }
        body = body.substring(begin.length(), body.length() - end.length()).replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
            if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256
                    && ec.getParams().getOrder().equals(P256_ORDER)) {
                return key;
            }
            return null;
        } catch (Exception e) { // bad base64, not a key, not an EC key: all "not a P-256 key"
            return null;
        }
    }
}
