package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * Every thrown refusal becomes its JSON answer ({@link Responses#error}) here, and the request's
 * transaction is rolled back, as Keycloak's own {@code KeycloakErrorHandler} does for what it maps:
 * a refused request changes nothing (contract section 7). A {@code WebApplicationException} that
 * carries a body would not do: RESTEasy Reactive sends such a response as it is, past every
 * exception mapper, and Keycloak then commits the transaction when it closes the session.
 */
@Provider
public final class ApiErrorMapper implements ExceptionMapper<ApiError> {

    @Override
    public Response toResponse(ApiError error) {
        Responses.rollBack(KeycloakSessionUtil.getKeycloakSession());
        return Responses.error(error);
    }
}
