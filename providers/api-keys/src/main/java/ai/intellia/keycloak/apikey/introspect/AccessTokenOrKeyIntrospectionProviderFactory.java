package ai.intellia.keycloak.apikey.introspect;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/**
 * Takes the place of Keycloak's {@code access_token} introspection provider, which the endpoint
 * asks when {@code token_type_hint} is absent or {@code access_token}: Keycloak's provider
 * loading ({@code ProviderManager.load}) keeps, of two factories with one id in one SPI, the one
 * with the higher {@link #order()} (Keycloak's has 0). Keys go to our provider, every other token
 * to Keycloak's own {@code AccessTokenIntrospectionProvider} (with the cascade check of minted
 * tokens).
 */
public final class AccessTokenOrKeyIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    public static final String PROVIDER_ID = AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE;
    static final int ORDER = 100;

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new KeyOrTokenIntrospection(() -> new ApiKeyIntrospectionProvider(session), () -> new CascadingAccessTokenIntrospection(session));
    }

    @Override
    public int order() {
        return ORDER;
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
