package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.CreateKeyRequest;
import ai.intellia.keycloak.apikey.domain.LifetimePolicy;
import ai.intellia.keycloak.apikey.domain.Paging;
import ai.intellia.keycloak.apikey.domain.RotateKeyRequest;
import ai.intellia.keycloak.apikey.org.OrganizationAccess;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.IssuedKey;
import ai.intellia.keycloak.apikey.store.KeyActor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;

/** {@code /realms/{realm}/orgs/{org}/api-keys}, for an authenticated Owner or Admin of {org}. */
public final class OrgApiKeysResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OrganizationModel organization;
    private final UserModel user;
    private final ApiKeyService keys;
    private final ApiKeySettings settings;

    OrgApiKeysResource(KeycloakSession session, RealmModel realm, OrganizationModel organization, UserModel user, ApiKeyService keys,
                       ApiKeySettings settings) {
        this.session = session;
        this.realm = realm;
        this.organization = organization;
        this.user = user;
        this.keys = keys;
        this.settings = settings;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        requireEnabled();
        String json = JsonBody.read(session.getContext().getRequestHeaders(), body);
        CreateKeyRequest request = CreateKeyRequest.parse(json, settings.resources(), Instant.now());
        LifetimePolicy.of(settings).check(request.expiresAt(), Instant.now());
        IssuedKey issued = keys.create(realm, organization, request, KeyActor.user(user.getId()));
        return created(issued);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max) {
        return Responses.json(200, keyObjects().page(keys.list(realm, organization, Paging.parse(first, max))));
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        ApiKeyRecord record = keys.get(realm, organization, id).orElseThrow(ApiKeyService::keyNotFound);
        return Responses.json(200, keyObjects().one(record));
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        keys.revoke(realm, organization, id, KeyActor.user(user.getId()));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/rotate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotate(@PathParam("id") String id, InputStream body) {
        requireEnabled();
        RotateKeyRequest request = RotateKeyRequest.parse(JsonBody.read(session.getContext().getRequestHeaders(), body));
        // The successor keeps the old expiry: refused when that breaks today's policy (the 404 and 409 come first).
        Instant now = Instant.now();
        keys.get(realm, organization, id).filter(old -> old.worksAt(now) && !old.isRotated())
                .ifPresent(old -> LifetimePolicy.of(settings).check(old.expiresAt(), now));
        IssuedKey successor = keys.rotate(realm, organization, id, request.gracePeriodSeconds(), KeyActor.user(user.getId()));
        return created(successor);
    }

    /** Listing and revoking stay possible in a disabled organization; creating a key (or a successor) does not. */
    private void requireEnabled() {
        if (!organization.isEnabled()) {
            throw OrganizationAccess.disabled();
        }
    }

    private Response created(IssuedKey issued) {
        ObjectNode body = keyObjects().issued(issued);
        URI location = session.getContext().getUri().getBaseUriBuilder()
                .path("realms").path(realm.getName()).path("orgs").path(organization.getId()).path("api-keys").path(issued.record().id())
                .build();
        return Response.created(location).type(MediaType.APPLICATION_JSON_TYPE).entity(body.toString()).build();
    }

    private KeyObjects keyObjects() {
        return new KeyObjects(keys, realm, settings.resources());
    }
}
