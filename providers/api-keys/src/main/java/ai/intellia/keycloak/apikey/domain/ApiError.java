package ai.intellia.keycloak.apikey.domain;

/**
 * A refusal with an HTTP status, a stable machine code and a sentence for humans. Thrown by the
 * domain and mapped to {@code {"error": …, "error_description": …}} by the REST layer.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String error;
    private final String missingScope;

    public ApiError(int status, String error, String description) {
        this(status, error, description, null);
    }

    private ApiError(int status, String error, String description, String missingScope) {
        super(description, null, false, false);
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
