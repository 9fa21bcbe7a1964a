package ai.intellia.keycloak.apikey.domain;

/**
 * A refusal with an HTTP status, a stable machine code and a sentence for humans. Thrown by the
 * domain and mapped to {@code {"error": …, "error_description": …}} by the REST layer.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String error;

    public ApiError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
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

    public String description() {
        return getMessage();
    }
}
