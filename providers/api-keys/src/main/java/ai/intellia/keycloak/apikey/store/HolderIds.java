package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.BoundedMemo;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ids of an organization's two technical users, derived from the organization id (see
 * {@link KeyHolders}). One per node, owned by {@link ApiKeyServiceFactory}: the holder id is
 * remembered because verification compares it on every request, and it is an MD5.
 */
final class HolderIds {

    private final BoundedMemo<String, String> holderIds = new BoundedMemo<>(10_000);

    String holderId(String organizationId) {
        String id = holderIds.get(organizationId);
        if (id == null) {
            id = derivedId("intellia-api-key-holder:", organizationId);
            holderIds.put(organizationId, id);
        }
        return id;
    }

    static String ledgerId(String organizationId) {
        return derivedId("intellia-api-key-usage:", organizationId);
    }

    private static String derivedId(String purpose, String organizationId) {
        return UUID.nameUUIDFromBytes((purpose + organizationId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
