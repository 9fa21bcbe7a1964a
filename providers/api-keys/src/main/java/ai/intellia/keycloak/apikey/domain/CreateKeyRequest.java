package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** A validated {@code POST …/api-keys} body. */
public record CreateKeyRequest(String description, Permissions permissions, Instant expiresAt, KeyGuards guards) {

    public static final int MAX_DESCRIPTION = 255;
    private static final Set<String> FIELDS = Set.of("description", "permissions", "expiresAt", "allowedCidrs", "rateLimits");

    public CreateKeyRequest(String description, Permissions permissions, Instant expiresAt) {
        this(description, permissions, expiresAt, KeyGuards.NONE);
    }

    /**
     * The creator's choices as a record to take them from ({@link ApiKeyRecord#withSettingsOf}):
     * identity, creation and state are the issuer's.
     */
    public ApiKeyRecord asSettings() {
        return ApiKeyRecord.issued(null, null, null, null, null).withDescription(description).withPermissions(permissions)
                .withExpiresAt(expiresAt).withGuards(guards);
    }

    public static CreateKeyRequest parse(String body, List<String> knownResources, Instant now) {
        JsonNode json = StrictJson.readObject(body, false);
        StrictJson.requireOnly(json, FIELDS);
        String description = StrictJson.optionalString(json, "description");
        if (description == null || description.isBlank()) {
            throw ApiError.badRequest("description is required.");
        }
        description = description.strip();
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            throw ApiError.badRequest("description must be at most " + MAX_DESCRIPTION + " characters.");
        }
        if (description.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("description must not contain control characters.");
        }
        Permissions permissions = Permissions.parse(json.get("permissions"), knownResources);
        Instant expiresAt = parseExpiry(StrictJson.optionalString(json, "expiresAt"), now);
        return new CreateKeyRequest(description, permissions, expiresAt, KeyGuards.from(json));
    }

    private static Instant parseExpiry(String text, Instant now) {
        if (text == null) {
            return null;
        }
        Instant expiresAt;
        try {
            expiresAt = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("expiresAt must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z.");
        }
        if (!expiresAt.isAfter(now)) {
            throw ApiError.badRequest("expiresAt must be in the future.");
        }
        return expiresAt;
    }
}
