package ai.intellia.keycloak.apikey.exchange;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/**
 * RFC 8693 exchange of an API key ({@code subject_token_type=urn:intellia:params:oauth:token-type:api-key}).
 * Keycloak asks providers in descending {@link #order()}; the standard V2 provider has 10 and the
 * legacy V1 provider 0, and ours claims only its own subject token type, so all three coexist.
 */
public final class ApiKeyTokenExchangeProviderFactory implements TokenExchangeProviderFactory {

    public static final String PROVIDER_ID = "intellia-api-key";

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return new ApiKeyTokenExchangeProvider(session);
    }

    @Override
    public int order() {
        return 100;
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
