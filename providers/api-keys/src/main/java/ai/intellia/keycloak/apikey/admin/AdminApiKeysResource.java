package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.Paging;
import ai.intellia.keycloak.apikey.domain.SettingsUpdate;
import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import ai.intellia.keycloak.apikey.rest.JsonBody;
import ai.intellia.keycloak.apikey.rest.KeyObjects;
import ai.intellia.keycloak.apikey.rest.Responses;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.KeyActor;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.io.InputStream;

/**
 * {@code /admin/realms/{realm}/api-keys}: every method starts with Keycloak's own permission
 * check (view-users / manage-users for keys, view-realm / manage-realm for settings), and every
 * write is an admin event.
 */
public final class AdminApiKeysResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final ApiKeyService keys;

    AdminApiKeysResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.keys = session.getProvider(ApiKeyService.class);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("organization") String organization, @QueryParam("first") String first,
                         @QueryParam("max") String max) {
        AdminRoles.require(auth.users()::requireView, AdminRoles.VIEW_USERS);
        Paging paging = Paging.parse(first, max);
        OrganizationModel only = organization == null ? null : keys.organizations(realm).find(organization);
        return Responses.json(200, keyObjects().page(keys.listRealm(realm, only, paging)));
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response settings() {
        AdminRoles.require(auth.realm()::requireViewRealm, AdminRoles.VIEW_REALM);
        return Responses.json(200, SettingsUpdate.toJson(keys.settings(realm)));
    }

    @PUT
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response updateSettings(InputStream body) {
        AdminRoles.require(auth.realm()::requireManageRealm, AdminRoles.MANAGE_REALM);
        SettingsWrite write = new SettingsWrite(session, realm,
                SettingsUpdate.parse(JsonBody.read(session.getContext().getRequestHeaders(), body)));
        write.authorize(auth);
        write.apply();
        ApiKeysSettingsTab.refresh(session, realm);
        ApiKeySettings updated = keys.settings(realm);
        adminEvent.operation(OperationType.UPDATE).resource("REALM").resourcePath(session.getContext().getUri())
                .representation(SettingsUpdate.toJson(updated)).success();
        return Responses.json(200, SettingsUpdate.toJson(updated));
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        AdminRoles.require(auth.users()::requireView, AdminRoles.VIEW_USERS);
        ApiKeyRecord record = keys.findInRealm(realm, id).orElseThrow(AdminApiKeysResource::notFound);
        return Responses.json(200, keyObjects().one(record));
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        AdminRoles.require(auth.users()::requireManage, AdminRoles.MANAGE_USERS);
        ApiKeyRecord record = keys.findInRealm(realm, id).orElseThrow(AdminApiKeysResource::notFound);
        OrganizationModel organization = session.getProvider(OrganizationProvider.class).getById(record.organizationId());
        keys.revoke(realm, organization, id, KeyActor.user(auth.adminAuth().getUser().getId()));
        adminEvent.operation(OperationType.DELETE).resource("USER").resourcePath(session.getContext().getUri())
                .detail(ApiKeyEvents.API_KEY_ID, record.id()).detail(ApiKeyEvents.ORGANIZATION_ID, record.organizationId())
                .detail(ApiKeyEvents.OPERATION, "revoke").success();
        return Response.noContent().build();
    }

    private KeyObjects keyObjects() {
        return new KeyObjects(keys, realm, keys.settings(realm).resources());
    }

    private static ApiError notFound() {
        return new ApiError(ErrorCode.API_KEY_NOT_FOUND, "No such API key in this realm.");
    }
}
