package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The key object of the contract (section 3), the one place that turns an {@link ApiKeyRecord}
 * into JSON for the organization API and the admin REST alike. Never {@code key} (only the
 * create and rotate answers add it) and never the stored hash.
 */
public final class ApiKeyRepresentation {

    private ApiKeyRepresentation() {
    }

    /**
     * The key object without {@code usage}; a key in its rotation grace also names its successor
     * ({@code rotatedTo}, an addition documented in docs/api.md).
     */
    public static ObjectNode of(ApiKeyRecord key, List<String> knownResources, Instant lastUsedAt) {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        json.put("id", key.id());
        json.put("prefix", key.prefix());
        json.put("description", key.description());
        json.set("permissions", key.permissions().toJson(knownResources));
        json.put("organizationId", key.organizationId());
        json.put("createdAt", key.createdAt().toString());
        json.put("createdBy", key.createdBy());
        putInstant(json, "expiresAt", key.effectiveExpiry());
        putInstant(json, "lastUsedAt", lastUsedAt);
        key.guards().putRepresentation(json);
        if (key.isRotated()) {
            json.put("rotatedTo", key.rotatedTo()); // only while in grace: a fully rotated key is not answered at all
        }
        return json;
    }

    /** The key object of a list or get answer: with {@code usage}, the last 30 days up to {@code today}, newest first. */
    public static ObjectNode of(ApiKeyRecord key, List<String> knownResources, Instant lastUsedAt, UsageDays usage, LocalDate today) {
        ObjectNode json = of(key, knownResources, lastUsedAt);
        json.set("usage", (usage == null ? UsageDays.NONE : usage).toJson(today));
        return json;
    }

    private static void putInstant(ObjectNode json, String field, Instant value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value.toString());
        }
    }
}
