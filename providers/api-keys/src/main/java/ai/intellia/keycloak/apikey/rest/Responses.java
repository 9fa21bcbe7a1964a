package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.utils.KeycloakSessionUtil;

/** JSON answers, and the one place where refusals become {@code {"error", "error_description"}} (see {@link ApiErrorMapper}). */
public final class Responses {

    private Responses() {
    }

    public static Response error(ApiError error) {
        ObjectNode body = StrictJson.mapper().createObjectNode()
                .put("error", error.error())
                .put("error_description", error.description());
        Response.ResponseBuilder response = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body.toString());
        error.headers().forEach(response::header);
        String challenge = BearerChallenge.of(error, realmName());
        if (challenge != null) {
            response.header("WWW-Authenticate", challenge);
        }
        return response.build();
    }

    private static String realmName() {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        RealmModel realm = session == null ? null : session.getContext().getRealm();
        return realm == null ? null : realm.getName();
    }

    public static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.toString()).build();
    }

    /** Marks the request's transaction for rollback (a refusal changes nothing); a no-op outside a request. */
    public static void rollBack(KeycloakSession session) {
        if (session != null && session.getTransactionManager().isActive()) {
            session.getTransactionManager().setRollbackOnly();
        }
    }
}
