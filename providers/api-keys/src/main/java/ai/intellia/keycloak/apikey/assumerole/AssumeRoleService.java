package ai.intellia.keycloak.apikey.assumerole;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.AssumeRoleRequest;
import ai.intellia.keycloak.apikey.org.OrganizationAccess;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessTokenResponse;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Assume role (contract section 5), one implementation behind the REST call and the token
 * exchange: provision the end user, then mint the end-user token on the chat client.
 * Authorization (who may call) is the caller's job; this only acts.
 */
public final class AssumeRoleService {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ApiKeySettings settings;

    public AssumeRoleService(KeycloakSession session, RealmModel realm, ApiKeySettings settings) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
    }

    public record Minted(AccessTokenResponse response, Instant expiresAt, String role) {
    }

    /** @param actorId the key id or user id recorded as {@code act.sub} */
    public Minted assume(OrganizationModel organization, AssumeRoleRequest request, String actorId, EventBuilder event) {
        ChatClient.Setup chat = new ChatClient(session, realm).ensure(settings.assumeRoleClient(), settings.assumeRoleRole());
        OrganizationAccess access = session.getProvider(ApiKeyService.class).organizations(realm);
        UserModel user = new EndUsers(session, realm)
                .provision(organization, request, org -> access.group(org, settings.defaultGroup()), chat.role());
        event.user(user).detail("requested_subject", request.userId()).detail("organization_id", organization.getId());

        String email = EndUsers.email(user);
        String name = EndUsers.name(user);
        TokenMinter.Issued issued = new TokenMinter(session).mint(realm, chat.client(), user, "openid",
                settings.assumeRoleLifetimeSeconds(), event, token -> {
                    token.getOtherClaims().put("user_id", request.userId());
                    token.getOtherClaims().put("organization_id", organization.getId());
                    token.getOtherClaims().put("act", Map.of("sub", actorId));
                    // Mappers of the email/profile scopes may have put these as "other claims"
                    // (Keycloak's lowercased copy); the asserted values replace them, not duplicate them.
                    token.getOtherClaims().keySet().removeAll(Set.of("email", "email_verified", "name"));
                    token.setEmail(email);
                    token.setEmailVerified(email == null ? null : Boolean.FALSE);
                    token.setName(name);
                    Audiences.add(token, realm, settings);
                });
        return new Minted(issued.response(), Instant.ofEpochSecond(issued.token().getExp()), settings.assumeRoleRole());
    }
}
