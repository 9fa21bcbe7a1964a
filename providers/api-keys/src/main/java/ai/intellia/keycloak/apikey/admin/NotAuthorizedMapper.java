package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.utils.KeycloakSessionUtil;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** See {@link AdminAuthRefusals}: Keycloak's admin authentication refusal, on our admin paths. */
@Provider
public final class NotAuthorizedMapper implements ExceptionMapper<NotAuthorizedException> {

    @Override
    public Response toResponse(NotAuthorizedException exception) {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        boolean sent = session != null && session.getContext().getRequestHeaders() != null
                && session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        // RFC 6750 §3: no error attribute when no credential was sent
        return AdminAuthRefusals.answer(exception, new ApiError(sent ? ErrorCode.INVALID_TOKEN : ErrorCode.UNAUTHORIZED,
                "Send Authorization: Bearer <admin access token> of this realm or of the master realm."));
    }
}
