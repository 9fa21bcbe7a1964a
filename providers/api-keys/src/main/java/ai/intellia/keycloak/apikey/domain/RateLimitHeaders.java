package ai.intellia.keycloak.apikey.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a rate-limited answer: {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} (seconds until the window ends, as in the IETF RateLimit header fields
 * draft), and on a refusal {@code Retry-After} (RFC 9110 §10.2.3, the same seconds).
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    public static Map<String, String> of(FixedWindowLimiter.Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Integer.toString(decision.limit()));
        headers.put("RateLimit-Remaining", Integer.toString(decision.remaining()));
        headers.put("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            headers.put("Retry-After", Long.toString(decision.resetSeconds()));
        }
        return headers;
    }

    /** The 429 of the REST calls: {@code too_many_requests} with the headers. */
    public static ApiError refusal(FixedWindowLimiter.Decision decision) {
        return new ApiError(ErrorCode.TOO_MANY_REQUESTS, "This API key's rate limit is reached: retry after "
                + decision.resetSeconds() + " s.").withHeaders(of(decision));
    }
}
