package ai.intellia.keycloak.apikey.assumerole;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;

/**
 * Puts the configured resource-server clients that exist (and are enabled) in the realm into a
 * minted token's {@code aud}: Keycloak 26.7's introspection says active only to a client in it.
 */
public final class Audiences {

    private Audiences() {
    }

    public static void add(AccessToken token, RealmModel realm, ApiKeySettings settings) {
        for (String clientId : settings.audiences()) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client != null && client.isEnabled()) {
                token.addAudience(clientId);
            }
        }
    }
}
