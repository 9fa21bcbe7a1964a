package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.LastUses;
import ai.intellia.keycloak.apikey.domain.UsageDays;
import ai.intellia.keycloak.apikey.store.PendingUses.Ledger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** Usage counts: one attribute per key and node, {@code intellia.usage.<keyId>.<nodeId>} (see {@link UsageDays}). */
    static final String COUNTS_PREFIX = "intellia.usage.";

    private UsageLedger() {
    }

    /** Stored last uses of these keys, with this node's not yet written ones merged in. */
    static Map<String, Instant> lastUses(KeycloakSession session, RealmModel realm, String organizationId,
                                         List<String> keyIds, PendingUses pending) {
        UserModel ledger = database(session).getUserById(realm, HolderIds.ledgerId(organizationId));
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

    /**
     * Stored usage counts of these keys (every node's attributes summed), with this node's not
     * yet written ones added: one read of the ledger's attributes, however many keys are asked.
     */
    static Map<String, UsageDays> usage(KeycloakSession session, RealmModel realm, String organizationId,
                                        Collection<String> keyIds, PendingCounts pending, LocalDate today) {
        Set<String> wanted = new HashSet<>(keyIds);
        Map<String, UsageDays> usage = new HashMap<>();
        UserModel ledger = database(session).getUserById(realm, HolderIds.ledgerId(organizationId));
        if (ledger != null) {
            ledger.getAttributes().forEach((name, values) -> {
                String keyId = countedKey(name);
                if (keyId != null && wanted.contains(keyId) && !values.isEmpty()) {
                    usage.merge(keyId, UsageDays.parse(values.get(0)), UsageDays::plus);
                }
            });
        }
        pending.of(realm.getId(), organizationId).forEach((keyId, days) -> {
            if (wanted.contains(keyId)) {
                usage.merge(keyId, days, UsageDays::plus);
            }
        });
        usage.replaceAll((keyId, days) -> days.trimmed(today));
        return usage;
    }

    /**
     * Adds {@code counts} to this node's own attribute of each key ({@code intellia.usage.<key>.<node>}),
     * trimmed to 30 days, and removes attributes of keys gone or with nothing left in the last 30
     * days (of any node: such an attribute adds nothing, so removing it races with nobody's count).
     * Only this node writes its attributes, so nothing another node writes can be overwritten and
     * a retry after a failed transaction adds to what is really stored: no read-back, no double count.
     * False when the organization or its ledger is gone.
     */
    static boolean writeCounts(KeycloakSession session, Ledger at, String nodeId, Map<String, UsageDays> counts, LocalDate today) {
        UserModel ledger = ledgerInItsRealm(session, at);
        if (ledger == null) {
            return false;
        }
        Set<String> live = liveKeys(session, at.organizationId());
        Map<String, List<String>> attributes = ledger.getAttributes();
        attributes.forEach((name, values) -> {
            String keyId = countedKey(name);
            if (keyId != null && (!live.contains(keyId) || values.isEmpty()
                    || UsageDays.newestDay(values.get(0)) <= today.toEpochDay() - UsageDays.DAYS)) {
                ledger.removeAttribute(name);
            }
        });
        counts.forEach((keyId, days) -> {
            if (!live.contains(keyId)) {
                return;
            }
            String name = COUNTS_PREFIX + keyId + "." + nodeId;
            List<String> stored = attributes.get(name);
            UsageDays before = stored == null || stored.isEmpty() ? UsageDays.NONE : UsageDays.parse(stored.get(0));
            UsageDays after = before.plus(days).trimmed(today);
            if (!after.equals(before)) {
                ledger.setSingleAttribute(name, after.format());
            }
        });
        return true;
    }

    /** The key id of a usage-count attribute name, or null for any other attribute. */
    static String countedKey(String attributeName) {
        if (!attributeName.startsWith(COUNTS_PREFIX)) {
            return null;
        }
        int dot = attributeName.lastIndexOf('.');
        return dot <= COUNTS_PREFIX.length() ? null : attributeName.substring(COUNTS_PREFIX.length(), dot);
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
        return database(session).getUserById(realm, HolderIds.ledgerId(at.organizationId()));
    }

    /** The organization's key ids, from the key store (which verification keeps in the user cache). */
    private static Set<String> liveKeys(KeycloakSession session, String organizationId) {
        return session.getProvider(ApiKeyService.class).store().ids(session.getContext().getRealm(), organizationId);
    }

    private static Long later(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }
}
