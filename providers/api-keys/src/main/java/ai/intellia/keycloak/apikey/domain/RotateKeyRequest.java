package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** A validated {@code POST …/api-keys/{id}/rotate} body; blank or null grace means 0. */
public record RotateKeyRequest(int gracePeriodSeconds) {

    public static final int MAX_GRACE_SECONDS = 7 * 24 * 3600;
    private static final Set<String> FIELDS = Set.of("gracePeriodSeconds");

    public static RotateKeyRequest parse(String body) {
        JsonNode json = StrictJson.readObject(body, true);
        StrictJson.requireOnly(json, FIELDS);
        JsonNode grace = json.get("gracePeriodSeconds");
        if (grace == null || grace.isNull()) {
            return new RotateKeyRequest(0);
        }
        if (!grace.isIntegralNumber() || !grace.canConvertToInt()
                || grace.intValue() < 0 || grace.intValue() > MAX_GRACE_SECONDS) {
            throw ApiError.badRequest("gracePeriodSeconds must be an integer from 0 to " + MAX_GRACE_SECONDS + ".");
        }
        return new RotateKeyRequest(grace.intValue());
    }
}
