package ai.intellia.keycloak.apikey.org;

import ai.intellia.keycloak.apikey.domain.BoundedMemo;

/**
 * Organization group ids by (realm, organization, name), remembered on this node because the
 * name search is an uncached query while a group by id comes from the realm cache. One instance
 * per node, owned by {@code ApiKeyServiceFactory}; {@link OrganizationAccess} checks every id it
 * reads before using it.
 */
public final class OrganizationGroupIds {

    private record GroupRef(String realmId, String organizationId, String name) {
    }

    private final BoundedMemo<GroupRef, String> ids;

    public OrganizationGroupIds(int capacity) {
        this.ids = new BoundedMemo<>(capacity);
    }

    String get(String realmId, String organizationId, String name) {
        return ids.get(new GroupRef(realmId, organizationId, name));
    }

    void put(String realmId, String organizationId, String name, String groupId) {
        ids.put(new GroupRef(realmId, organizationId, name), groupId);
    }

    /** Forgets the id only if it is still the one remembered (a racing thread may have put a newer one). */
    void forget(String realmId, String organizationId, String name, String groupId) {
        ids.remove(new GroupRef(realmId, organizationId, name), groupId);
    }
}
