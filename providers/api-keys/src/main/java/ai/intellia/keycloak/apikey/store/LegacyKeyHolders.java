package ai.intellia.keycloak.apikey.store;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Keys of the untagged format (issued before {@link ai.intellia.keycloak.apikey.domain.KeyTag})
 * keep working, but a made-up one must not cost a lookup either: such a key is looked up only when
 * its holder id is one of the realm's key holders, known on this node from one read of the realm's
 * organizations. No untagged key is issued any more, so an unknown holder id is made up; the list is
 * read again at most once a minute (an organization created since then can only have tagged keys,
 * unless a node of the previous version issued one during a rolling upgrade), so an attacker
 * sending made-up ids costs one query a minute per node, however many he sends. One per node,
 * owned by {@link ApiKeyServiceFactory}.
 */
final class LegacyKeyHolders {

    private static final long REFRESH_MILLIS = 60_000;
    private final Map<String, Snapshot> byRealm = new ConcurrentHashMap<>();
    private final HolderIds ids;

    private record Snapshot(Set<String> holderIds, long readAt) {
    }

    LegacyKeyHolders(HolderIds ids) {
        this.ids = ids;
    }

    boolean isHolder(KeycloakSession session, RealmModel realm, String holderId) {
        Snapshot snapshot = byRealm.get(realm.getId());
        if (snapshot != null && snapshot.holderIds().contains(holderId)) {
            return true;
        }
        long now = System.currentTimeMillis();
        if (snapshot != null && (now - snapshot.readAt() < REFRESH_MILLIS
                || !byRealm.replace(realm.getId(), snapshot, new Snapshot(snapshot.holderIds(), now)))) {
            return false; // read recently, or another request is reading it right now
        }
        Snapshot fresh = new Snapshot(session.getProvider(OrganizationProvider.class).getAllStream()
                .map(org -> ids.holderId(org.getId()))
                .collect(Collectors.toUnmodifiableSet()), now);
        byRealm.put(realm.getId(), fresh);
        return fresh.holderIds().contains(holderId);
    }
}
