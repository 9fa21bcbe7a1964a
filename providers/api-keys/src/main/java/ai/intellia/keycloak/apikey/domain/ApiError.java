package ai.intellia.keycloak.apikey.domain;

import java.util.Map;

/**
 * A refusal: an {@link ErrorCode} (a stable machine code and its HTTP status) and a sentence for
 * humans. Thrown by the domain and by the resources; the REST layer's {@code ApiErrorMapper}
 * answers it as {@code {"error": …, "error_description": …}} and rolls the request's transaction
 * back, so a refused request changes nothing (contract section 7).
 */
public final class ApiError extends RuntimeException {

    private final ErrorCode code;
    private final String missingScope;
    private final Map<String, String> headers;

    public ApiError(ErrorCode code, String description) {
        this(code, description, null, Map.of());
    }

    private ApiError(ErrorCode code, String description, String missingScope, Map<String, String> headers) {
        super(description, null, false, false);
        this.code = code;
        this.missingScope = missingScope;
        this.headers = headers;
    }

    /** A 403 for a bearer credential lacking a permission, e.g. {@code assume_role:write} (RFC 6750 §3.1). */
    public static ApiError insufficientScope(String scope, String description) {
        return new ApiError(ErrorCode.FORBIDDEN, description, scope, Map.of());
    }

    public static ApiError badRequest(String description) {
        return new ApiError(ErrorCode.INVALID_REQUEST, description);
    }

    /** The same refusal with extra response headers (e.g. Retry-After on a 429). */
    public ApiError withHeaders(Map<String, String> extra) {
        return new ApiError(code, getMessage(), missingScope, Map.copyOf(extra));
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public String error() {
        return code.code();
    }

    /** The scope whose lack caused this refusal, or null. */
    public String missingScope() {
        return missingScope;
    }

    public String description() {
        return getMessage();
    }
}
