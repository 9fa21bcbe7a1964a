package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What is stored for one key: its {@link ApiKeyRecord} ({@code credentialData}) and the SHA-256 of
 * its secret ({@code secretData}, {@code {"sha256":"<hex>"}}), both JSON written and read by
 * Jackson. The stored form is exactly what keys issued before were stored with.
 *
 * @param secretHash null when the stored secret is missing or damaged: such a key never verifies
 */
public record StoredKey(ApiKeyRecord record, String secretHash) {

    /** The {@code secretData} document. */
    record SecretData(@JsonProperty("sha256") String sha256) {
    }

    public String secretDataJson() {
        try {
            return StrictJson.mapper().writeValueAsString(new SecretData(secretHash));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a one-string record always serializes
        }
    }

    public String credentialDataJson() {
        return record.toStoredJson();
    }

    /** Null when the credential data is not a key's or is damaged; a damaged secret only makes {@code secretHash} null. */
    public static StoredKey parse(String id, String credentialData, String secretData) {
        ApiKeyRecord record = ApiKeyRecord.fromStoredJson(id, credentialData);
        return record == null ? null : new StoredKey(record, secretHash(secretData));
    }

    private static String secretHash(String secretData) {
        if (secretData == null) {
            return null;
        }
        try {
            JsonNode hash = StrictJson.mapper().readTree(secretData).get("sha256");
            return hash != null && hash.isTextual() ? hash.textValue() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
