package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.assumerole.AssumeRoleService;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.AssumeRoleRequest;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.RateLimitHeaders;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

import java.io.InputStream;

/** {@code POST /realms/{realm}/orgs/{org}/assume-role}, for an authorized caller. */
public final class AssumeRoleResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OrganizationModel organization;
    private final Caller caller;
    private final ApiKeySettings settings;
    private final FixedWindowLimiter.Decision rateLimit;

    AssumeRoleResource(KeycloakSession session, RealmModel realm, OrganizationModel organization, Caller caller, ApiKeySettings settings,
                       FixedWindowLimiter.Decision rateLimit) {
        this.rateLimit = rateLimit;
        this.session = session;
        this.realm = realm;
        this.organization = organization;
        this.caller = caller;
        this.settings = settings;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response assume(InputStream body) {
        AssumeRoleRequest request = AssumeRoleRequest.parse(JsonBody.read(session.getContext().getRequestHeaders(), body));
        // a key's event is already tagged with it (source, api_key_id, organization_id)
        EventBuilder event = (caller instanceof Caller.Key key ? key.event()
                : new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.TOKEN_EXCHANGE))
                .client(settings.assumeRoleClient());
        AssumeRoleService.Minted minted = new AssumeRoleService(session, realm, settings)
                .assume(organization, request, caller.actorId(), event);
        event.success();
        ObjectNode json = StrictJson.mapper().createObjectNode()
                .put("token", minted.response().getToken())
                .put("expiresAt", minted.expiresAt().toString())
                .put("userId", request.userId())
                .put("organizationId", organization.getId())
                .put("role", minted.role());
        if (rateLimit == null) {
            return Responses.json(200, json);
        }
        Response.ResponseBuilder ok = Response.ok(json.toString(), MediaType.APPLICATION_JSON_TYPE);
        RateLimitHeaders.of(rateLimit).forEach(ok::header);
        return ok.build();
    }
}
