package ai.intellia.keycloak.apikey.introspect;

import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.MinterState;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.representations.AccessToken;

import java.util.Map;
import java.util.Optional;

/**
 * Revocation that reaches minted tokens (contract 4.4), checked at introspection after Keycloak's
 * own checks passed. A token we minted names its organization ({@code organization_id}) and its
 * minter: {@code api_key_id} for a key's own token, {@code act.sub} for an end-user token. So the
 * check is a few user/organization cache reads and needs no per-token state: the minter key is
 * looked up by id and refuses only when revoked or without any record; the organization must
 * exist and be enabled; an end user must still be a member (Keycloak itself already refuses
 * disabled and deleted users). Tokens without these claims are not ours and are not touched.
 * The claims can only make a token inactive, never active, so a realm mapper that happened to
 * emit them could not widen anything.
 */
final class MintedTokenCheck {

    static final String ACT = "act";

    private final KeycloakSession session;
    private final RealmModel realm;

    MintedTokenCheck(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Why the token must be answered inactive, or empty when it may stay active. */
    Optional<Refusal> refusal(AccessToken token, UserModel user) {
        Map<String, Object> claims = token.getOtherClaims();
        String organizationId = text(claims.get(ApiKeyEvents.ORGANIZATION_ID));
        String keyId = text(claims.get(ApiKeyEvents.API_KEY_ID));
        String actor = claims.get(ACT) instanceof Map<?, ?> act ? text(act.get("sub")) : null;
        if (organizationId == null || keyId == null && actor == null) {
            return Optional.empty();
        }
        if (!realm.isOrganizationsEnabled()) {
            return Optional.of(new Refusal(keyId, organizationId, "Organizations are disabled in this realm"));
        }
        OrganizationModel organization = session.getProvider(OrganizationProvider.class).getById(organizationId);
        if (organization == null || !organization.isEnabled()) {
            return Optional.of(new Refusal(keyId, organizationId, "The token's organization is disabled or deleted"));
        }
        MinterState state = session.getProvider(ApiKeyService.class).minterState(realm, organizationId, keyId != null ? keyId : actor);
        if (keyId != null) {
            return state == MinterState.KEPT ? Optional.empty()
                    : Optional.of(new Refusal(keyId, organizationId, "The API key that minted this token was revoked"));
        }
        if (state == MinterState.REVOKED || state == MinterState.ABSENT && session.users().getUserById(realm, actor) == null) {
            return Optional.of(new Refusal(actor, organizationId, "The API key that minted this token was revoked"));
        }
        if (user == null || !session.getProvider(OrganizationProvider.class).isMember(organization, user)) {
            return Optional.of(new Refusal(null, organizationId, "The end user is no longer a member of the organization"));
        }
        return Optional.empty();
    }

    /** @param keyId the minting key, when the token names one (null for a token minted by a user) */
    record Refusal(String keyId, String organizationId, String reason) {
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
