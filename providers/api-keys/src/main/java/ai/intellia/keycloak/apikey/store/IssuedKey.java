package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;

/** A key just created or rotated: its record and the secret string, shown once. */
public record IssuedKey(ApiKeyRecord record, String key) {

    @Override
    public String toString() {
        return "IssuedKey[" + record.id() + "]";
    }
}
