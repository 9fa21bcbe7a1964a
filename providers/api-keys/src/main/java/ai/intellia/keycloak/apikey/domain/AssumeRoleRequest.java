package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a backend wants a token for: its own identifier of the end user, plus optional email and
 * display name. The same rules whether it came as JSON (REST) or as form fields (token exchange).
 */
public record AssumeRoleRequest(String userId, String userEmail, String userName) {

    public static final int MAX_LENGTH = 255;
    private static final Set<String> FIELDS = Set.of("userId", "userEmail", "userName");
    // Deliberately plain: one @, no spaces or control characters, a dot in the domain.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+$");

    public static AssumeRoleRequest parse(String body) {
        JsonNode json = StrictJson.readObject(body, false);
        StrictJson.requireOnly(json, FIELDS);
        return of(StrictJson.optionalString(json, "userId"), StrictJson.optionalString(json, "userEmail"),
                StrictJson.optionalString(json, "userName"));
    }

    public static AssumeRoleRequest of(String userId, String userEmail, String userName) {
        if (userId == null || userId.isEmpty()) {
            throw ApiError.badRequest("userId is required.");
        }
        if (userId.length() > MAX_LENGTH || hasControl(userId)) {
            throw ApiError.badRequest("userId must be 1 to 255 characters without control characters.");
        }
        String email = userEmail == null ? null : userEmail.strip();
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
            throw ApiError.badRequest("userEmail must be a valid email address.");
        }
        String name = userName == null ? null : userName.strip();
        if (name != null && (name.length() > MAX_LENGTH || hasControl(name))) {
            throw ApiError.badRequest("userName must be at most 255 characters without control characters.");
        }
        // The email is kept as asserted (tokens carry it verbatim); Keycloak lowercases its own copy.
        return new AssumeRoleRequest(userId, email, name == null || name.isEmpty() ? null : name);
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
