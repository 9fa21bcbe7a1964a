package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/**
 * {@code /realms/{realm}/orgs/{org}}: every call authenticates first (401), then finds the
 * organization (404), then authorizes (403), in that order.
 */
public final class OrgsResource {

    private final KeycloakSession session;

    OrgsResource(KeycloakSession session) {
        this.session = session;
    }

    @Path("{org}/api-keys")
    public OrgApiKeysResource apiKeys(@PathParam("org") String org) {
        RealmModel realm = session.getContext().getRealm();
        ApiKeyService keys = session.getProvider(ApiKeyService.class);
        try {
            Caller caller = new CallerAuthenticator(session, realm, keys).authenticate();
            OrganizationAccess access = new OrganizationAccess(session, realm);
            OrganizationModel organization = access.find(org);
            if (!(caller instanceof Caller.User user)) {
                throw new ApiError(403, "forbidden", "API keys cannot manage API keys: sign in as an organization Owner or Admin.");
            }
            if (!access.isManager(organization, user.user(), keys.settings(realm))) {
                throw new ApiError(403, "forbidden", "Only the organization's Owners and Admins may manage its API keys.");
            }
            return new OrgApiKeysResource(session, realm, organization, user.user(), keys);
        } catch (ApiError e) {
            throw Responses.asException(e);
        }
    }
}
