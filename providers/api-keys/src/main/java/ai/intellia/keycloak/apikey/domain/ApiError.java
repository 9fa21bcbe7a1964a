package ai.intellia.keycloak.apikey.domain;

/**
 * A refusal with an HTTP status, a stable machine code and a sentence for humans. Thrown by the
 * domain and mapped to {@code {"error": …, "error_description": …}} by the REST layer.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String error;
    private final String missingScope;
    private final java.util.Map<String, String> headers;

    public ApiError(int status, String error, String description) {
        this(status, error, description, null);
    }

    private ApiError(int status, String error, String description, String missingScope) {
        this(status, error, description, missingScope, java.util.Map.of());
    }

    private ApiError(int status, String error, String description, String missingScope, java.util.Map<String, String> headers) {
        super(description, null, false, false);
        this.headers = headers;
        this.status = status;
        this.error = error;
        this.missingScope = missingScope;
    }

    /** A 403 for a bearer credential lacking a permission, e.g. {@code assume_role:write} (RFC 6750 §3.1). */
    public static ApiError insufficientScope(String scope, String description) {
        return new ApiError(403, "forbidden", description, scope);
    }

    public static ApiError badRequest(String description) {
        return new ApiError(400, "invalid_request", description);
    }

    public static ApiError notFound(String error, String description) {
        return new ApiError(404, error, description);
    }

    /** The same refusal with extra response headers (e.g. Retry-After on a 429). */
    public ApiError withHeaders(java.util.Map<String, String> extra) {
        return new ApiError(status, error, getMessage(), missingScope, java.util.Map.copyOf(extra));
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The scope whose lack caused this refusal, or null. */
    public String missingScope() {
        return missingScope;
    }

    public String description() {
        return getMessage();
    }
}
