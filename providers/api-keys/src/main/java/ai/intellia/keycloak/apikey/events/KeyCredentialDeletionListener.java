package ai.intellia.keycloak.apikey.events;

import ai.intellia.keycloak.apikey.store.ApiKeyService;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;

/**
 * Records the {@code revoke} event of a key whose credential a realm admin deleted in the admin
 * console (Users → holder → Credentials → Delete). Keycloak's {@code UserResource.removeCredential}
 * deletes the credential directly, never through our API; what it leaves is an admin event
 * ({@code ACTION} on {@code users/{id}/credentials/{credentialId}} with the credential's type in
 * the details), which every global listener is handed, in the same transaction.
 */
final class KeyCredentialDeletionListener implements EventListenerProvider {

    private static final String USERS = "users/";
    private static final String CREDENTIALS = "/credentials/";

    private final KeycloakSession session;

    KeyCredentialDeletionListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        // user events: nothing to do
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        Map<String, String> details = event.getDetails();
        if (event.getOperationType() != OperationType.ACTION || event.getResourceType() != ResourceType.USER || details == null
                || !ApiKeyService.CREDENTIAL_TYPE.equals(details.get(Details.CREDENTIAL_TYPE)) || event.getError() != null) {
            return;
        }
        String path = event.getResourcePath();
        int credentials = path == null ? -1 : path.indexOf(CREDENTIALS);
        String keyId = details.get(Details.CREDENTIAL_ID);
        if (credentials < 0 || keyId == null || !path.startsWith(USERS) || !path.endsWith(CREDENTIALS + keyId)) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        String actor = event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId();
        if (realm != null) {
            session.getProvider(ApiKeyService.class)
                    .recordDeletedCredential(realm, path.substring(USERS.length(), credentials), keyId, actor);
        }
    }

    @Override
    public void close() {
    }
}
