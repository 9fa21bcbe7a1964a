package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A key's guard rails (contract section 8): its network allow-list and rate limits, each null
 * when the key has none. Parsed once with the key record, so an unrestricted key costs one
 * reference comparison per request.
 */
public record KeyGuards(AllowedCidrs allowedCidrs, RateLimits rateLimits) {

    public static final KeyGuards NONE = new KeyGuards(null, null);

    public static KeyGuards of(AllowedCidrs allowedCidrs, RateLimits rateLimits) {
        return allowedCidrs == null && rateLimits == null ? NONE : new KeyGuards(allowedCidrs, rateLimits);
    }

    /** From a request body or a stored record; 400 when a field is invalid. */
    public static KeyGuards from(JsonNode json) {
        return of(AllowedCidrs.parse(json.get("allowedCidrs")), RateLimits.parse(json.get("rateLimits"), "rateLimits"));
    }

    /** Whether a request from {@code address} passes the allow-list (always, without one). */
    public boolean allowsAddress(String address) {
        return allowedCidrs == null || allowedCidrs.allows(address);
    }

    /** The same for an address already parsed ({@link AllowedCidrs#addressBytes}). */
    public boolean allowsAddress(byte[] address) {
        return allowedCidrs == null || allowedCidrs.allows(address);
    }

    /** Adds the stored fields (only those set: records of keys without guard rails stay as they were). */
    public void putStored(ObjectNode json) {
        if (allowedCidrs != null) {
            json.set("allowedCidrs", allowedCidrs.toJson());
        }
        if (rateLimits != null) {
            json.set("rateLimits", rateLimits.toJson());
        }
    }

    /** Adds the key object's fields: always present, null when unrestricted. */
    public void putRepresentation(ObjectNode json) {
        if (allowedCidrs == null) {
            json.putNull("allowedCidrs");
        } else {
            json.set("allowedCidrs", allowedCidrs.toJson());
        }
        if (rateLimits == null) {
            json.putNull("rateLimits");
        } else {
            json.set("rateLimits", rateLimits.toJson());
        }
    }
}
