package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** See {@link AdminAuthRefusals}: Keycloak's refusal of an admin token from another realm, on our admin paths. */
@Provider
public final class ForbiddenMapper implements ExceptionMapper<ForbiddenException> {

    @Override
    public Response toResponse(ForbiddenException exception) {
        return AdminAuthRefusals.answer(exception, new ApiError(ErrorCode.FORBIDDEN,
                "This admin token may not manage API keys of this realm."));
    }
}
