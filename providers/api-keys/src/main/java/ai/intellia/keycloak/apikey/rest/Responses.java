package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.utils.KeycloakSessionUtil;

import java.util.function.Supplier;

/** JSON answers, and the one place where refusals become {@code {"error", "error_description"}}. */
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

    /** Runs a resource method; refusals become their JSON answer. */
    public static Response handle(Supplier<Response> call) {
        try {
            return call.get();
        } catch (ApiError e) {
            return error(e);
        }
    }

    /** For sub-resource locators, which must throw rather than return. */
    static WebApplicationException asException(ApiError error) {
        return new WebApplicationException(error(error));
    }
}
