package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.RateLimitHeaders;
import ai.intellia.keycloak.apikey.domain.RateLimits;
import ai.intellia.keycloak.apikey.domain.Permissions;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import ai.intellia.keycloak.apikey.org.OrganizationAccess;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.PathParam;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/**
 * {@code /realms/{realm}/orgs/{org}}: every call authenticates first (401), then finds the
 * organization (404), then authorizes (403), in that order.
 */
public final class OrgsResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ApiKeyService keys;

    OrgsResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.keys = session.getProvider(ApiKeyService.class);
    }

    /** The organizations whose keys the signed-in user may manage: what a key-management page offers. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response managedOrganizations() {
        Caller caller = new CallerAuthenticator(session, realm, keys, EventType.INTROSPECT_TOKEN).authenticate();
        if (!(caller instanceof Caller.User user)) {
            refusedKey(caller);
            throw forbidden("API keys cannot manage API keys: sign in as an organization Owner or Admin.");
        }
        OrganizationAccess access = keys.organizations(realm);
        ArrayNode out = StrictJson.mapper().createArrayNode();
        access.organizationsOf(user.user())
                .filter(org -> access.isManager(org, user.user(), keys.settings(realm, org)))
                .forEach(org -> out.addObject().put("id", org.getId()).put("alias", org.getAlias()).put("name", org.getName()));
        return Responses.json(200, out);
    }

    @Path("{org}/api-keys")
    public OrgApiKeysResource apiKeys(@PathParam("org") String org) {
        Caller caller = new CallerAuthenticator(session, realm, keys, EventType.INTROSPECT_TOKEN).authenticate();
        OrganizationAccess access = keys.organizations(realm);
        OrganizationModel organization = access.find(org);
        if (!(caller instanceof Caller.User user)) {
            refusedKey(caller);
            throw forbidden("API keys cannot manage API keys: sign in as an organization Owner or Admin.");
        }
        ApiKeySettings settings = keys.settings(realm, organization);
        if (!access.isManager(organization, user.user(), settings)) {
            throw forbidden("Only the organization's Owners and Admins may manage its API keys.");
        }
        return new OrgApiKeysResource(session, realm, organization, user.user(), keys, settings);
    }

    @Path("{org}/assume-role")
    public AssumeRoleResource assumeRole(@PathParam("org") String org) {
        Caller caller = new CallerAuthenticator(session, realm, keys, EventType.TOKEN_EXCHANGE).authenticate();
        OrganizationAccess access = keys.organizations(realm);
        OrganizationModel organization = access.find(org);
        ApiKeySettings settings;
        if (caller instanceof Caller.Key key) {
            if (!key.verified().organizationId().equals(organization.getId())) {
                refuse(key, null, null);
                throw forbidden("This API key belongs to another organization.");
            }
            settings = key.verified().settings(); // resolved once, at verification
            if (!key.verified().key().permissions().allowsAssumeRole(settings.resources())) {
                refuse(key, null, null);
                throw ApiError.insufficientScope(Permissions.ASSUME_ROLE_SCOPE, "This API key lacks the assume_role write permission.");
            }
        } else {
            settings = keys.settings(realm, organization);
            if (caller instanceof Caller.User user && !access.isManager(organization, user.user(), settings)) {
                throw forbidden("Only an API key with assume_role write, or an Owner or Admin, may assume roles.");
            }
        }
        if (!organization.isEnabled()) {
            throw OrganizationAccess.disabled(); // its keys do not verify; its Owners and Admins mint nothing either
        }
        FixedWindowLimiter.Decision rateLimit = caller instanceof Caller.Key key ? guard(key) : null;
        return new AssumeRoleResource(session, realm, organization, caller, settings, rateLimit);
    }

    /** A key that authenticated (counted as used) and was refused after all: counted as refused instead. */
    private void refusedKey(Caller caller) {
        if (caller instanceof Caller.Key key) {
            keys.recordRefusalAfterUse(realm, key.verified().key());
        }
    }

    /**
     * A key refused after it authenticated: its error event (already tagged with the key), with
     * the guard rail's {@code reason} and address when one refused it; counted as refused.
     */
    private void refuse(Caller.Key key, String reason, String address) {
        if (reason != null) {
            key.event().detail(Details.REASON, reason);
        }
        if (address != null) {
            key.event().detail(ApiKeyEvents.IP_ADDRESS, address);
        }
        key.event().error(Errors.ACCESS_DENIED);
        keys.recordRefusalAfterUse(realm, key.verified().key());
    }

    /** The key's allow-list, then its rate limit (only a permitted request is counted). */
    private FixedWindowLimiter.Decision guard(Caller.Key key) {
        String address = session.getContext().getConnection().getRemoteAddr();
        if (!key.verified().key().guards().allowsAddress(address)) {
            refuse(key, ApiKeyEvents.REASON_IP_NOT_ALLOWED, address);
            throw new ApiError(ErrorCode.IP_NOT_ALLOWED, "This API key may not be used from this network address.");
        }
        FixedWindowLimiter.Decision decision = keys.rateLimit(key.verified(), RateLimits.Operation.ASSUME_ROLE);
        if (decision != null && !decision.allowed()) {
            refuse(key, ApiKeyEvents.REASON_RATE_LIMITED, null);
            throw RateLimitHeaders.refusal(decision);
        }
        return decision;
    }

    private static ApiError forbidden(String description) {
        return new ApiError(ErrorCode.FORBIDDEN, description);
    }
}
