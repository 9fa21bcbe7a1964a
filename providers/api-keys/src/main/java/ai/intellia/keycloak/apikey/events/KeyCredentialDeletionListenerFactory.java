package ai.intellia.keycloak.apikey.events;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Global, so that it needs no entry in a realm's event listeners: Keycloak hands every global
 * listener each admin event, whether or not the realm stores events.
 */
public final class KeyCredentialDeletionListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "intellia-api-key-credential-deletion";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new KeyCredentialDeletionListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
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
