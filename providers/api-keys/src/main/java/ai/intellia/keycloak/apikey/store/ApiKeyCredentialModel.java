package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.CredentialLabel;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import ai.intellia.keycloak.apikey.domain.StoredKey;
import org.keycloak.credential.CredentialModel;

/**
 * A key as a Keycloak credential of type {@value #TYPE}, in the manner of Keycloak's
 * {@code RecoveryAuthnCodesCredentialModel}: {@link #createFromValues} for a new key,
 * {@link #createFromCredentialModel} for a stored one, the JSON of both data fields written and
 * read by {@link StoredKey}. The label is what the admin console's Credentials tab shows.
 */
final class ApiKeyCredentialModel extends CredentialModel {

    static final String TYPE = "api-key";

    private final StoredKey key;

    private ApiKeyCredentialModel(StoredKey key) {
        this.key = key;
    }

    /** A new credential for a key just issued. */
    static ApiKeyCredentialModel createFromValues(ApiKeyRecord record, String secretHash) {
        ApiKeyCredentialModel model = new ApiKeyCredentialModel(new StoredKey(record, secretHash));
        model.setId(record.id());
        model.setType(TYPE);
        model.setUserLabel(label(record));
        model.setCreatedDate(record.createdAt().toEpochMilli());
        model.setSecretData(model.key.secretDataJson());
        model.setCredentialData(model.key.credentialDataJson());
        return model;
    }

    /**
     * The key a stored credential holds; null when it is not a key's credential or its data is
     * damaged (it never verifies). The parse is remembered in {@code parsed}.
     */
    static ApiKeyCredentialModel createFromCredentialModel(CredentialModel credential, ParsedRecordCache parsed) {
        StoredKey key = storedKey(credential, parsed);
        if (key == null) {
            return null;
        }
        ApiKeyCredentialModel model = new ApiKeyCredentialModel(key);
        model.setId(credential.getId());
        model.setType(TYPE);
        model.setUserLabel(credential.getUserLabel());
        model.setCreatedDate(credential.getCreatedDate());
        model.setSecretData(credential.getSecretData());
        model.setCredentialData(credential.getCredentialData());
        model.setFederationLink(credential.getFederationLink());
        return model;
    }

    /** Just the key a stored credential holds (as {@link #createFromCredentialModel} would), or null. */
    static StoredKey storedKey(CredentialModel credential, ParsedRecordCache parsed) {
        if (credential == null || !TYPE.equals(credential.getType())) {
            return null;
        }
        return parsed.get(credential.getId(), credential.getCredentialData(), credential.getSecretData());
    }

    /** This credential rewritten for a changed record (rotated, revoked): the same id, secret and creation date. */
    ApiKeyCredentialModel withRecord(ApiKeyRecord changed) {
        ApiKeyCredentialModel model = new ApiKeyCredentialModel(new StoredKey(changed, key.secretHash()));
        model.setId(getId());
        model.setType(TYPE);
        model.setUserLabel(label(changed));
        model.setCreatedDate(getCreatedDate());
        model.setSecretData(getSecretData());
        model.setCredentialData(model.key.credentialDataJson());
        model.setFederationLink(getFederationLink());
        return model;
    }

    ApiKeyRecord record() {
        return key.record();
    }

    String secretHash() {
        return key.secretHash();
    }

    private static String label(ApiKeyRecord record) {
        return record.isRevoked() ? CredentialLabel.revoked(record.description(), record.prefix())
                : CredentialLabel.of(record.description(), record.prefix());
    }
}
