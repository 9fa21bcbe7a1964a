package ai.intellia.keycloak.apikey.domain;

/**
 * Every {@code error} code our REST answers use (contract sections 3, 5, 6, 7, 8), each with the
 * one HTTP status it always comes with. Stable: callers match on them. The token exchange answers
 * with Keycloak's OAuth codes instead ({@code OAuthErrorException}), except for {@link #TOO_MANY_REQUESTS}.
 */
public enum ErrorCode {

    INVALID_REQUEST(400, "invalid_request"),
    LIFETIME_POLICY(400, "lifetime_policy"),
    /** No bearer credential sent (RFC 6750 §3: the challenge then has no {@code error} attribute). */
    UNAUTHORIZED(401, "unauthorized"),
    INVALID_TOKEN(401, "invalid_token"),
    /** A leak report without a valid signature: the credential there is the signature, so no bearer challenge. */
    INVALID_SIGNATURE(401, "invalid_signature"),
    FORBIDDEN(403, "forbidden"),
    IP_NOT_ALLOWED(403, "ip_not_allowed"),
    ORGANIZATION_DISABLED(403, "organization_disabled"),
    END_USER_DISABLED(403, "end_user_disabled"),
    API_KEY_NOT_FOUND(404, "api_key_not_found"),
    ORGANIZATION_NOT_FOUND(404, "organization_not_found"),
    KEY_ALREADY_ROTATED(409, "key_already_rotated"),
    KEY_LIMIT_REACHED(409, "key_limit_reached"),
    CONCURRENT_CHANGE(409, "concurrent_change"),
    REQUEST_TOO_LARGE(413, "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    TOO_MANY_REQUESTS(429, "too_many_requests"),
    ASSUME_ROLE_MISCONFIGURED(503, "assume_role_misconfigured");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The {@code error} field's value. */
    public String code() {
        return code;
    }
}
