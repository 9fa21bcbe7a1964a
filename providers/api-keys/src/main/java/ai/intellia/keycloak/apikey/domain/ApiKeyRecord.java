package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Everything known about one key except its secret: what the credential's {@code credentialData}
 * holds. A rotated key keeps working until {@code graceEndsAt}; after that it is gone. A revoked
 * key is gone at {@code revokedAt}. Gone keys stay stored for {@link #TOMBSTONE_DAYS} days as
 * tombstones (never listed, never usable) so that a presented one can still be named in an error
 * event, and so that tokens it minted can tell revocation (refused) from rotation (kept).
 */
public record ApiKeyRecord(
        String id,
        String organizationId,
        String prefix,
        String description,
        Permissions permissions,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        Instant graceEndsAt,
        String rotatedTo,
        Instant revokedAt,
        KeyGuards guards) {

    /** How long a gone key is kept: longer than any token a key can mint lives (at most 24 h). */
    public static final int TOMBSTONE_DAYS = 30;

    public ApiKeyRecord {
        guards = guards == null ? KeyGuards.NONE : guards;
    }

    /**
     * A key just issued: working, no description, no permissions, no expiry, no guard rails. The
     * creator's choices are set with the {@code with…} methods (or {@link #withSettingsOf}).
     */
    public static ApiKeyRecord issued(String id, String organizationId, String prefix, Instant createdAt, String createdBy) {
        return new ApiKeyRecord(id, organizationId, prefix, "", Permissions.none(), createdAt, createdBy, null, null, null, null,
                KeyGuards.NONE);
    }

    public ApiKeyRecord withDescription(String text) {
        return new ApiKeyRecord(id, organizationId, prefix, text, permissions, createdAt, createdBy, expiresAt, graceEndsAt,
                rotatedTo, revokedAt, guards);
    }

    public ApiKeyRecord withPermissions(Permissions granted) {
        return new ApiKeyRecord(id, organizationId, prefix, description, granted, createdAt, createdBy, expiresAt, graceEndsAt,
                rotatedTo, revokedAt, guards);
    }

    public ApiKeyRecord withExpiresAt(Instant expiry) {
        return new ApiKeyRecord(id, organizationId, prefix, description, permissions, createdAt, createdBy, expiry, graceEndsAt,
                rotatedTo, revokedAt, guards);
    }

    /** The same record with guard rails (a new key's, or those a rotation carries over). */
    public ApiKeyRecord withGuards(KeyGuards keyGuards) {
        return new ApiKeyRecord(id, organizationId, prefix, description, permissions, createdAt, createdBy, expiresAt, graceEndsAt,
                rotatedTo, revokedAt, keyGuards);
    }

    /**
     * This key with everything its creator chose taken from {@code other}: description,
     * permissions, expiry, guard rails (what a rotation carries over to the successor). A new
     * per-key setting is added here, and rotation keeps it with no other change.
     */
    public ApiKeyRecord withSettingsOf(ApiKeyRecord other) {
        return new ApiKeyRecord(id, organizationId, prefix, other.description, other.permissions, createdAt, createdBy,
                other.expiresAt, graceEndsAt, rotatedTo, revokedAt, other.guards);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isRotated() {
        return rotatedTo != null;
    }

    /** The instant the key stops working: its own expiry or the end of its rotation grace. */
    public Instant effectiveExpiry() {
        if (graceEndsAt == null) {
            return expiresAt;
        }
        return expiresAt == null || graceEndsAt.isBefore(expiresAt) ? graceEndsAt : expiresAt;
    }

    public boolean worksAt(Instant now) {
        if (isRevoked()) {
            return false;
        }
        Instant end = effectiveExpiry();
        return end == null || now.isBefore(end);
    }

    /** A fully rotated key is gone like a deleted one; an expired key stays listed until deleted. */
    public boolean isGoneAt(Instant now) {
        return isRevoked() || isRotated() && (graceEndsAt == null || !now.isBefore(graceEndsAt));
    }

    public ApiKeyRecord rotated(String successorId, Instant graceEnd) {
        return new ApiKeyRecord(id, organizationId, prefix, description, permissions, createdAt, createdBy, expiresAt, graceEnd,
                successorId, revokedAt, guards);
    }

    public ApiKeyRecord revoked(Instant at) {
        return new ApiKeyRecord(id, organizationId, prefix, description, permissions, createdAt, createdBy, expiresAt, graceEndsAt,
                rotatedTo, at, guards);
    }

    /** A tombstone old enough to forget: no token the key minted can still be alive. */
    public boolean isPurgeableAt(Instant now) {
        if (!isGoneAt(now)) {
            return false;
        }
        Instant goneSince = isRevoked() ? revokedAt : graceEndsAt == null ? Instant.EPOCH : graceEndsAt;
        return !now.isBefore(goneSince.plus(TOMBSTONE_DAYS, ChronoUnit.DAYS));
    }

    public String toStoredJson() {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        json.put("organizationId", organizationId);
        json.put("prefix", prefix);
        json.put("description", description);
        json.set("permissions", permissions.toStoredJson());
        json.put("createdAt", createdAt.toString());
        json.put("createdBy", createdBy);
        putInstant(json, "expiresAt", expiresAt);
        putInstant(json, "graceEndsAt", graceEndsAt);
        json.put("rotatedTo", rotatedTo);
        if (revokedAt != null) {
            json.put("revokedAt", revokedAt.toString());
        }
        guards.putStored(json);
        return json.toString();
    }

    /** Null when the stored data is not ours or is damaged: such a credential never verifies. */
    public static ApiKeyRecord fromStoredJson(String id, String text) {
        try {
            JsonNode json = StrictJson.mapper().readTree(text);
            if (json == null || !json.hasNonNull("organizationId") || !json.hasNonNull("createdAt")) {
                return null;
            }
            return new ApiKeyRecord(id, json.get("organizationId").asText(), json.path("prefix").asText(""),
                    json.path("description").asText(""), Permissions.fromStored(json.get("permissions")),
                    Instant.parse(json.get("createdAt").asText()), json.path("createdBy").asText(null),
                    instant(json, "expiresAt"), instant(json, "graceEndsAt"), json.path("rotatedTo").asText(null),
                    instant(json, "revokedAt"), KeyGuards.from(json));
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static void putInstant(ObjectNode json, String field, Instant value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value.toString());
        }
    }

    private static Instant instant(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.asText());
    }
}
