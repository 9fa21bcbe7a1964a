package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import org.keycloak.models.OrganizationModel;

/** A presented key that is genuine, unexpired, unrevoked, of an enabled organization. */
public record VerifiedKey(ApiKeyRecord record, OrganizationModel organization) {

    public String id() {
        return record.id();
    }

    public String organizationId() {
        return record.organizationId();
    }
}
