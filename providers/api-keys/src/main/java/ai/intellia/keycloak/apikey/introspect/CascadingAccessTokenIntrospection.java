package ai.intellia.keycloak.apikey.introspect;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;

/**
 * Keycloak's own access-token introspection, unchanged (same checks, answer and events), plus
 * {@link MintedTokenCheck} for the tokens our extension minted, once all of Keycloak's checks
 * have passed; the claims we set while minting stay in the answer ({@link MintedClaims}).
 */
final class CascadingAccessTokenIntrospection extends AccessTokenIntrospectionProvider<AccessToken> {

    private final MintedTokenCheck minted;

    CascadingAccessTokenIntrospection(KeycloakSession session) {
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
