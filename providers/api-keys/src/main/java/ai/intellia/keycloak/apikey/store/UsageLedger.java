package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.LastUses;
import ai.intellia.keycloak.apikey.store.PendingUses.Ledger;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where last uses are stored: one attribute ({@value #ATTRIBUTE}, see {@link LastUses}) of the
 * organization's usage ledger user, so that writing it never evicts the key holder that
 * verification reads. Written only by {@link UsageFlusher}, never by a request.
 *
 * <p>The ledger is read and written in the database directly, past Keycloak's user cache: only
 * key listings read it, so caching it would buy nothing, and writing it through the cache would
 * send a cluster-wide invalidation per organization per flush. Which keys still exist comes
 * from the key holder instead, which verification keeps cached (reading 100,000 credentials
 * from the database every minute to learn their ids would not be cheap).
 */
final class UsageLedger {

    static final String ATTRIBUTE = "intellia.last-used";

    private UsageLedger() {
    }

    /** Stored last uses of these keys, with this node's not yet written ones merged in. */
    static Map<String, Instant> lastUses(KeycloakSession session, RealmModel realm, String organizationId,
                                         List<String> keyIds, PendingUses pending) {
        UserModel ledger = database(session).getUserById(realm, KeyHolders.ledgerId(organizationId));
        Map<String, Long> stored = ledger == null ? Map.of() : LastUses.parse(ledger.getFirstAttribute(ATTRIBUTE));
        Map<String, Long> unwritten = pending.of(realm.getId(), organizationId);
        Map<String, Instant> uses = new HashMap<>();
        for (String keyId : keyIds) {
            Long seconds = later(stored.get(keyId), unwritten.get(keyId));
            if (seconds != null) {
                uses.put(keyId, Instant.ofEpochSecond(seconds));
            }
        }
        return uses;
    }

    /**
     * Merges {@code uses} into the stored ones (later wins), dropping keys that no longer exist.
     * False when the organization or its ledger is gone (nothing to write to, ever).
     */
    static boolean write(KeycloakSession session, Ledger at, Map<String, Long> uses) {
        UserModel ledger = ledgerInItsRealm(session, at);
        if (ledger == null) {
            return false;
        }
        Map<String, Long> stored = LastUses.parse(ledger.getFirstAttribute(ATTRIBUTE));
        Map<String, Long> merged = LastUses.merge(stored, uses, liveKeys(session, at.organizationId()));
        if (!merged.equals(stored)) {
            ledger.setSingleAttribute(ATTRIBUTE, LastUses.format(merged));
        }
        return true;
    }

    /** The uses that the stored attribute lacks after a write: another node wrote at the same time. */
    static Map<String, Long> overwritten(KeycloakSession session, Ledger at, Map<String, Long> uses) {
        UserModel ledger = ledgerInItsRealm(session, at);
        if (ledger == null) {
            return Map.of();
        }
        Map<String, Long> stored = LastUses.parse(ledger.getFirstAttribute(ATTRIBUTE));
        return LastUses.notIn(stored, uses, liveKeys(session, at.organizationId()));
    }

    private static UserProvider database(KeycloakSession session) {
        return session.getProvider(UserProvider.class);
    }

    /**
     * The ledger, from the database, or null when its realm or organization is gone. A flush runs
     * outside any request, and Keycloak's user lookups want a realm in the context: it is set here.
     */
    private static UserModel ledgerInItsRealm(KeycloakSession session, Ledger at) {
        RealmModel realm = session.realms().getRealm(at.realmId());
        if (realm == null) {
            return null;
        }
        session.getContext().setRealm(realm);
        return database(session).getUserById(realm, KeyHolders.ledgerId(at.organizationId()));
    }

    /** The organization's key ids, from the key holder that verification keeps in the user cache. */
    private static Set<String> liveKeys(KeycloakSession session, String organizationId) {
        RealmModel realm = session.getContext().getRealm();
        UserModel holder = session.users().getUserById(realm, KeyHolders.holderId(organizationId));
        return holder == null ? Set.of() : holder.credentialManager()
                .getStoredCredentialsByTypeStream(ApiKeyService.CREDENTIAL_TYPE)
                .map(CredentialModel::getId)
                .collect(Collectors.toSet());
    }

    private static Long later(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }
}
