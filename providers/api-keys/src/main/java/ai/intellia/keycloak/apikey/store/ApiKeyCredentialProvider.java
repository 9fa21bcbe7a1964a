package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.StoredKey;
import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponse;

import jakarta.ws.rs.core.Response;

/**
 * The {@value ApiKeyCredentialModel#TYPE} credential type, for one purpose: Keycloak's realm
 * importers ({@code kc.sh import}, {@code --import-realm}) create a user's credentials "through
 * the provider" of each credential's type, and without a provider they dropped every key of an
 * exported realm without a word. A key comes back exactly as exported (same id, same hash, same
 * record), so its string keeps working.
 *
 * <p>Only there. Inside an HTTP request (an admin's {@code POST}/{@code PUT …/users} or partial
 * import with an {@code api-key} credential) the request is refused with a 400 and rolled back:
 * otherwise an admin who may only manage users could plant, on a key holder, a key with a secret
 * and permissions of their choosing. Keys are otherwise created by {@link ApiKeyService} only.
 * Never shown in the account console (no authenticator uses the type).
 */
final class ApiKeyCredentialProvider implements CredentialProvider<CredentialModel> {

    private static final Logger LOG = Logger.getLogger(ApiKeyCredentialProvider.class);

    private final KeycloakSession session;

    ApiKeyCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getType() {
        return ApiKeyCredentialModel.TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credential) {
        if (inHttpRequest()) {
            // Refused, and the whole request with it (an admin's user update or partial import): nothing is written.
            session.getTransactionManager().setRollbackOnly();
            throw ErrorResponse.error("API keys cannot be created as user credentials: use the organization's API keys", Response.Status.BAD_REQUEST);
        }
        StoredKey key = StoredKey.parse(credential.getId(), credential.getCredentialData(), credential.getSecretData());
        if (key == null || key.secretHash() == null || !key.record().organizationId().equals(user.getFirstAttribute(KeyHolders.HOLDER_MARKER))) {
            LOG.warnf("The imported %s credential %s of user %s is not a key of the organization the user holds keys of: not imported",
                    ApiKeyCredentialModel.TYPE, credential.getId(), user.getId());
            return null;
        }
        return user.credentialManager().createStoredCredential(credential);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(ApiKeyCredentialModel.TYPE)
                .category(CredentialTypeMetadata.Category.BASIC_AUTHENTICATION)
                .displayName("Organization API key")
                .helpText("A key of an organization, created and revoked through the organization's API keys")
                .iconCssClass("kcAuthenticatorDefaultClass")
                .removeable(true)
                .build(session);
    }

    /** Whether this runs for an HTTP request (Keycloak's context has one only then). */
    private boolean inHttpRequest() {
        try {
            return session.getContext().getHttpRequest() != null;
        } catch (RuntimeException notInARequest) { // ContextNotActiveException: a startup import, a scheduled task
            return false;
        }
    }
}
