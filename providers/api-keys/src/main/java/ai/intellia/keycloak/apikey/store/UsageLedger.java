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
 * Where last uses and usage counts are stored: attributes of a <em>usage ledger</em> user per key
 * holder ({@link KeyHolders}; holder 0's ledger is the organization's one ledger of before), so
 * that writing them never evicts the key holder that verification reads, and reading or writing
 * them costs in proportion to one holder's keys, never to the organization's. Last uses are one
 * attribute ({@value #ATTRIBUTE}, see {@link LastUses}); counts one per key and node. Written only
 * by {@link UsageFlusher}, never by a request.
 *
 * <p>Ledgers are read and written in the database directly, past Keycloak's user cache: only key
 * listings read them, so caching them would buy nothing, and writing them through the cache would
 * send a cluster-wide invalidation per holder per flush. Which keys still exist comes from the
 * key holder instead, which verification keeps cached.
 */
final class UsageLedger {

    static final String ATTRIBUTE = "intellia.last-used";
    /** Usage counts: one attribute per key and node, {@code intellia.usage.<keyId>.<nodeId>} (see {@link UsageDays}). */
    static final String COUNTS_PREFIX = "intellia.usage.";

    private UsageLedger() {
    }

    /**
     * Stored last uses and counts of these keys of one organization, with this node's not yet
     * written ones merged in: one read of each ledger that keeps one of them.
     */
    static KeyActivity read(KeycloakSession session, RealmModel realm, String organizationId, Collection<String> keyIds,
                         PendingUses pendingUses, PendingCounts pendingCounts, LocalDate today) {
        Set<String> wanted = new HashSet<>(keyIds);
        Map<String, Long> storedUses = new HashMap<>();
        Map<String, UsageDays> usage = new HashMap<>();
        store(session).byLocator(realm, organizationId, keyIds).keySet().forEach(holderId -> {
            UserModel ledger = database(session).getUserById(realm, HolderIds.ledgerId(organizationId, holderId));
            if (ledger == null) {
                return;
            }
            Map<String, List<String>> attributes = ledger.getAttributes();
            List<String> lastUses = attributes.get(ATTRIBUTE);
            LastUses.parse(lastUses == null || lastUses.isEmpty() ? null : lastUses.get(0)).forEach((keyId, seconds) -> {
                if (wanted.contains(keyId)) {
                    storedUses.put(keyId, seconds);
                }
            });
            attributes.forEach((name, values) -> {
                String keyId = countedKey(name);
                if (keyId != null && wanted.contains(keyId) && !values.isEmpty()) {
                    usage.merge(keyId, UsageDays.parse(values.get(0)), UsageDays::plus);
                }
            });
        });
        Map<String, Long> unwrittenUses = pendingUses.of(realm.getId(), organizationId);
        Map<String, Instant> uses = new HashMap<>();
        for (String keyId : keyIds) {
            Long seconds = later(storedUses.get(keyId), unwrittenUses.get(keyId));
            if (seconds != null) {
                uses.put(keyId, Instant.ofEpochSecond(seconds));
            }
        }
        pendingCounts.of(realm.getId(), organizationId).forEach((keyId, days) -> {
            if (wanted.contains(keyId)) {
                usage.merge(keyId, days, UsageDays::plus);
            }
        });
        usage.replaceAll((keyId, days) -> days.trimmed(today));
        return new KeyActivity(uses, usage);
    }

    /**
     * Merges {@code uses} into the stored ones of each holder's ledger (later wins), dropping keys
     * that no longer exist. False when the organization's realm is gone or none of these keys has
     * a ledger any more (nothing to write to, ever).
     */
    static boolean write(KeycloakSession session, Ledger at, Map<String, Long> uses) {
        Map<UserModel, Set<String>> ledgers = ledgersInTheirRealm(session, at, uses.keySet());
        ledgers.forEach((ledger, live) -> {
            Map<String, Long> stored = LastUses.parse(ledger.getFirstAttribute(ATTRIBUTE));
            Map<String, Long> merged = LastUses.merge(stored, uses, live);
            if (!merged.equals(stored)) {
                ledger.setSingleAttribute(ATTRIBUTE, LastUses.format(merged));
            }
        });
        return !ledgers.isEmpty();
    }

    /** The uses that the stored attributes lack after a write: another node wrote at the same time. */
    static Map<String, Long> overwritten(KeycloakSession session, Ledger at, Map<String, Long> uses) {
        Map<String, Long> missing = new HashMap<>();
        ledgersInTheirRealm(session, at, uses.keySet()).forEach((ledger, live) -> missing.putAll(
                LastUses.notIn(LastUses.parse(ledger.getFirstAttribute(ATTRIBUTE)), uses, live)));
        return missing;
    }

    /**
     * Adds {@code counts} to this node's own attribute of each key ({@code intellia.usage.<key>.<node>})
     * in its holder's ledger, trimmed to 30 days, and removes attributes of that ledger's keys gone
     * or with nothing left in the last 30 days (of any node: such an attribute adds nothing, so
     * removing it races with nobody's count). Only this node writes its attributes, so nothing
     * another node writes can be overwritten and a retry after a failed transaction adds to what
     * is really stored: no read-back, no double count. False when nothing is left to write to.
     */
    static boolean writeCounts(KeycloakSession session, Ledger at, String nodeId, Map<String, UsageDays> counts, LocalDate today) {
        Map<UserModel, Set<String>> ledgers = ledgersInTheirRealm(session, at, counts.keySet());
        ledgers.forEach((ledger, live) -> {
            Map<String, List<String>> attributes = ledger.getAttributes();
            attributes.forEach((name, values) -> {
                String keyId = countedKey(name);
                if (keyId != null && (!live.contains(keyId) || values.isEmpty()
                        || UsageDays.newestDay(values.get(0)) <= today.toEpochDay() - UsageDays.DAYS)) {
                    ledger.removeAttribute(name);
                }
            });
            only(counts, live).forEach((keyId, days) -> {
                String name = COUNTS_PREFIX + keyId + "." + nodeId;
                List<String> stored = attributes.get(name);
                UsageDays before = stored == null || stored.isEmpty() ? UsageDays.NONE : UsageDays.parse(stored.get(0));
                UsageDays after = before.plus(days).trimmed(today);
                if (!after.equals(before)) {
                    ledger.setSingleAttribute(name, after.format());
                }
            });
        });
        return !ledgers.isEmpty();
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

    private static ApiKeyStore store(KeycloakSession session) {
        return session.getProvider(ApiKeyService.class).store();
    }

    /**
     * The ledgers (from the database) of the holders that keep these keys, each with the ids of
     * the keys its holder keeps now (from the key store, which verification keeps in the user
     * cache). Empty when the realm is gone. A flush runs outside any request, and Keycloak's user
     * lookups want a realm in the context: it is set here.
     */
    private static Map<UserModel, Set<String>> ledgersInTheirRealm(KeycloakSession session, Ledger at, Collection<String> keyIds) {
        RealmModel realm = session.realms().getRealm(at.realmId());
        if (realm == null) {
            return Map.of();
        }
        session.getContext().setRealm(realm);
        ApiKeyStore store = store(session);
        Map<UserModel, Set<String>> ledgers = new HashMap<>();
        store.byLocator(realm, at.organizationId(), keyIds).keySet().forEach(holderId -> {
            UserModel ledger = database(session).getUserById(realm, HolderIds.ledgerId(at.organizationId(), holderId));
            if (ledger != null) {
                ledgers.put(ledger, store.idsAt(realm, holderId));
            }
        });
        return ledgers;
    }

    /** The entries of {@code values} whose key is in {@code keyIds}. */
    private static <V> Map<String, V> only(Map<String, V> values, Set<String> keyIds) {
        Map<String, V> kept = new HashMap<>();
        values.forEach((keyId, value) -> {
            if (keyIds.contains(keyId)) {
                kept.put(keyId, value);
            }
        });
        return kept;
    }

    private static Long later(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }
}
