package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.rest.Responses;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.error.KeycloakErrorHandler;
import org.keycloak.utils.KeycloakSessionUtil;

import java.util.regex.Pattern;

/**
 * Keycloak authenticates {@code /admin/realms/…} (and checks that the token's realm may act on
 * the target realm) in {@code AdminRoot} before our resource exists, and refuses with a bare
 * {@code NotAuthorizedException} / {@code ForbiddenException}, which its error handler answers
 * {@code {"error":"HTTP 401 Unauthorized"}}. The two mappers answer those in our error shape on
 * {@code /admin/realms/{realm}/api-keys…} only; everywhere else they return exactly what
 * Keycloak's own handler returns.
 */
final class AdminAuthRefusals {

    private static final Pattern OUR_ADMIN_PATH = Pattern.compile(".*/admin/realms/[^/]+/"
            + AdminApiKeysResourceProviderFactory.PROVIDER_ID + "(/.*)?");

    private AdminAuthRefusals() {
    }

    static Response answer(WebApplicationException exception, ApiError ours) {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        if (session != null && session.getContext().getUri() != null
                && OUR_ADMIN_PATH.matcher(session.getContext().getUri().getRequestUri().getPath()).matches()) {
            session.getTransactionManager().setRollbackOnly();
            return Responses.error(ours);
        }
        return KeycloakErrorHandler.getResponse(session, exception);
    }
}
