package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
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
        // Stored as UTF-8, a lone surrogate becomes '?' and a decoding loss is U+FFFD: either would
        // make two different userIds the same end user.
        if (!isWellFormed(userId) || userId.indexOf('\uFFFD') >= 0) {
            throw ApiError.badRequest("userId must be valid Unicode (no lone surrogates, no U+FFFD replacement character).");
        }
        String email = userEmail == null ? null : userEmail.strip();
        // Keycloak lower-cases emails, and lower case can be longer ("İ" becomes two characters).
        if (email != null && (email.length() > 254 || email.toLowerCase(Locale.ROOT).length() > 254 || !isWellFormed(email)
                || !EMAIL.matcher(email).matches())) {
            throw ApiError.badRequest("userEmail must be a valid email address.");
        }
        String name = userName == null ? null : userName.strip();
        if (name != null && (name.length() > MAX_LENGTH || hasControl(name) || !isWellFormed(name))) {
            throw ApiError.badRequest("userName must be at most 255 characters without control characters or lone surrogates.");
        }
        // The email is kept as asserted (tokens carry it verbatim); Keycloak lowercases its own copy.
        return new AssumeRoleRequest(userId, email, name == null || name.isEmpty() ? null : name);
    }

    /** No unpaired surrogate: every char sequence is a sequence of Unicode code points. */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
