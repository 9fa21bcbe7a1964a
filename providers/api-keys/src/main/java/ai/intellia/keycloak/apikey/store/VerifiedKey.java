package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import org.keycloak.models.OrganizationModel;

/**
 * A presented key that is genuine, unexpired, unrevoked, of an enabled organization.
 *
 * @param principalId the user the key acts as: the {@code sub} of introspection and of tokens exchanged for it
 */
public record VerifiedKey(ApiKeyRecord record, OrganizationModel organization, String principalId) {

    public String id() {
        return record.id();
    }

    public String organizationId() {
        return record.organizationId();
    }
}
