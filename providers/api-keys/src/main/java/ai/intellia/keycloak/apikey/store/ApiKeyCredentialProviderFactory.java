package ai.intellia.keycloak.apikey.store;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers {@link ApiKeyCredentialProvider}: what lets a realm import bring API keys back. */
public final class ApiKeyCredentialProviderFactory implements CredentialProviderFactory<ApiKeyCredentialProvider> {

    @Override
    public String getId() {
        return "intellia-api-key-credential";
    }

    @Override
    public ApiKeyCredentialProvider create(KeycloakSession session) {
        return new ApiKeyCredentialProvider(session);
    }
}
