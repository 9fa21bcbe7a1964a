package ai.intellia.keycloak.apikey.introspect;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/**
 * Takes the place of Keycloak's {@code refresh_token} introspection provider (same id, higher
 * order, see {@link AccessTokenOrKeyIntrospectionProviderFactory}): a key sent with
 * {@code token_type_hint=refresh_token} is answered as a key, everything else by Keycloak's own
 * {@code RefreshTokenIntrospectionProvider}.
 */
public final class RefreshTokenOrKeyIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    public static final String PROVIDER_ID = "refresh_token";

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new KeyOrTokenIntrospection(() -> new ApiKeyIntrospectionProvider(session), () -> new CascadingRefreshTokenIntrospection(session));
    }

    @Override
    public int order() {
        return AccessTokenOrKeyIntrospectionProviderFactory.ORDER - 1; // the SPI's default stays access_token
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
