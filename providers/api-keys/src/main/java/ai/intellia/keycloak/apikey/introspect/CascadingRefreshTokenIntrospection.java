package ai.intellia.keycloak.apikey.introspect;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.RefreshTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;

/**
 * Keycloak's own {@code refresh_token} introspection, unchanged, plus {@link MintedTokenCheck}:
 * a token we minted sent with that hint must not outlive its key either.
 */
final class CascadingRefreshTokenIntrospection extends RefreshTokenIntrospectionProvider {

    private final MintedTokenCheck minted;

    CascadingRefreshTokenIntrospection(KeycloakSession session) {
        super(session);
        this.minted = new MintedTokenCheck(session, realm);
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, UserSessionModel userSession) {
        return MintedClaims.carryOver(token, super.transformAccessToken(token, userSession));
    }

    @Override
    protected boolean introspectionChecks(String tokenStr) {
        if (!super.introspectionChecks(tokenStr)) {
            return false;
        }
        return MintedTokenRefusals.allow(minted.refusal(token, user), eventBuilder, () -> transformedToken = null);
    }
}
