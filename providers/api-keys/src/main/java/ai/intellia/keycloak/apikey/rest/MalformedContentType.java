package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A {@code Content-Type} header that does not parse ({@code application/}, {@code ;}, two types)
 * makes Keycloak's security-headers response filter throw while it adds headers to the answer:
 * a 500 on every endpoint, ours included, whatever the resource answered. Our endpoints refuse
 * such a request up front with a 415 and skip that filter for this one answer, setting the
 * headers it would have set for a REST answer themselves.
 */
public final class MalformedContentType {

    private static final BrowserSecurityHeaders[] REST_HEADERS = {
            BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY, BrowserSecurityHeaders.X_FRAME_OPTIONS,
            BrowserSecurityHeaders.X_CONTENT_TYPE_OPTIONS, BrowserSecurityHeaders.REFERRER_POLICY, BrowserSecurityHeaders.X_ROBOTS_TAG};

    private MalformedContentType() {
    }

    /** Throws the 415 answer when the request's Content-Type is present but malformed; else nothing. */
    public static void refuse(KeycloakSession session) {
        String raw = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (raw == null || parses(raw)) {
            return;
        }
        Responses.rollBack(session); // thrown with its body, this answer skips ApiErrorMapper
        SecurityHeadersProvider filter = session.getProvider(SecurityHeadersProvider.class);
        if (filter != null) {
            filter.options().skipHeaders();
        }
        Response.ResponseBuilder answer = Response.fromResponse(Responses.error(
                new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The Content-Type header is malformed: send the body as application/json.")));
        RealmModel realm = session.getContext().getRealm();
        Map<String, String> configured = realm == null ? Map.of() : realm.getBrowserSecurityHeaders();
        for (BrowserSecurityHeaders header : REST_HEADERS) {
            String value = configured.getOrDefault(header.getKey(), header.getDefaultValue());
            if (value != null && !value.isEmpty()) {
                answer.header(header.getHeaderName(), value);
            }
        }
        throw new WebApplicationException(answer.build());
    }

    /** Parsed as the framework will parse it; an empty value fails there too. */
    static boolean parses(String raw) {
        if (raw.isBlank()) {
            return false;
        }
        try {
            MediaType.valueOf(raw);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
