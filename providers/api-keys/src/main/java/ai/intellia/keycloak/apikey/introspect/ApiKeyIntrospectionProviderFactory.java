package ai.intellia.keycloak.apikey.introspect;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/**
 * Reached at Keycloak's standard introspection endpoint with {@code token_type_hint=api_key}:
 * the endpoint picks the provider whose id equals the hint, and authenticates the client first.
 */
public final class ApiKeyIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    public static final String PROVIDER_ID = "api_key";

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new ApiKeyIntrospectionProvider(session);
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
