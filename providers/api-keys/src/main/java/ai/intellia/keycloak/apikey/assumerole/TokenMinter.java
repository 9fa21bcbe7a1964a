package ai.intellia.keycloak.apikey.assumerole;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.util.function.Consumer;

/**
 * Issues a realm-signed access token for a user and client the way Keycloak's client-credentials
 * grant does, on a TRANSIENT user session: nothing is persisted, no refresh token, so ten
 * thousand mints leave ten thousand tokens and no sessions. Keycloak's bearer authenticator,
 * userinfo and introspection accept such tokens.
 */
public final class TokenMinter {

    private final KeycloakSession session;

    public TokenMinter(KeycloakSession session) {
        this.session = session;
    }

    /** The encoded answer and the token it carries (for its expiry and claims). */
    public record Issued(AccessTokenResponse response, AccessToken token) {
    }

    public Issued mint(RealmModel realm, ClientModel client, UserModel user, String scope, int lifetimeSeconds,
                                    EventBuilder event, Consumer<AccessToken> claims) {
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);

        UserSessionModel userSession = new UserSessionManager(session).createUserSession(root.getId(), realm, user, user.getUsername(),
                session.getContext().getConnection().getRemoteHost(), "api-key", false, null, null,
                UserSessionModel.SessionPersistenceState.TRANSIENT);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);

        TokenManager.AccessTokenResponseBuilder builder = new TokenManager()
                .responseBuilder(realm, client, event, session, userSession, clientSessionCtx)
                .generateAccessToken();
        AccessToken token = builder.getAccessToken();
        token.setSessionId(null); // transient: there is no session to refer to
        token.exp(token.getIat() + lifetimeSeconds);
        claims.accept(token);
        return new Issued(builder.build(), token);
    }
}
