package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import ai.intellia.keycloak.apikey.domain.StoredKey;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keys as credentials of the organization's key holder users ({@link KeyHolders}): the locator is
 * the id of the holder that keeps the key, one of several of at most {@code capacity} keys each.
 * Keycloak's user cache keeps holders and credentials, so finding a presented key is two cache
 * reads; a write evicts only the holder it changes, on every node. Which holder keeps a key that
 * is named by id alone (get, revoke, rotate, the cascade check) is remembered per node; on a miss
 * the holders are searched in the user cache.
 */
final class HolderCredentialStore implements ApiKeyStore {

    private final KeycloakSession session;
    private final HolderIds ids;
    private final LegacyKeyHolders legacyHolders;
    private final ParsedRecordCache parsed;
    private final int capacity;
    /** Inside {@link #inOwnTransaction}: reads for an update go to the database. */
    private final boolean guarded;

    HolderCredentialStore(KeycloakSession session, HolderIds ids, LegacyKeyHolders legacyHolders, ParsedRecordCache parsed, int capacity) {
        this(session, ids, legacyHolders, parsed, capacity, false);
    }

    private HolderCredentialStore(KeycloakSession session, HolderIds ids, LegacyKeyHolders legacyHolders, ParsedRecordCache parsed,
                                  int capacity, boolean guarded) {
        this.session = session;
        this.ids = ids;
        this.legacyHolders = legacyHolders;
        this.parsed = parsed;
        this.capacity = capacity;
        this.guarded = guarded;
    }

    @Override
    public StoredKey findPresented(RealmModel realm, String locator, String keyId) {
        UserModel holder = session.users().getUserById(realm, locator);
        // The parse as remembered, without building a credential model: this runs on every request.
        StoredKey key = holder == null ? null
                : ApiKeyCredentialModel.storedKey(holder.credentialManager().getStoredCredentialById(keyId), parsed);
        if (key == null || !ids.isHolderOf(holder, key.record().organizationId())) {
            return null; // a holder's id with a key of another organization: not this organization's key
        }
        if (ids.holderOfKey(keyId) == null) {
            ids.rememberHolderOfKey(keyId, locator); // where its uses are kept (one map read once known)
        }
        return key;
    }

    @Override
    public boolean isLocator(RealmModel realm, String locator) {
        return legacyHolders.isHolder(session, realm, locator);
    }

    @Override
    public String organizationAt(RealmModel realm, String locator) {
        UserModel holder = locator == null ? null : session.users().getUserById(realm, locator);
        String organizationId = holder == null ? null : holder.getFirstAttribute(KeyHolders.HOLDER_MARKER);
        // The marker is only a hint: the id derived from it (and the holder's number) must be the holder's own.
        return organizationId != null && ids.isHolderOf(holder, organizationId) ? organizationId : null;
    }

    @Override
    public ApiKeyRecord find(RealmModel realm, String organizationId, String keyId) {
        UserModel holder = keyId == null ? null : holderOf(realm, organizationId, keyId);
        StoredKey key = holder == null ? null
                : ApiKeyCredentialModel.storedKey(holder.credentialManager().getStoredCredentialById(keyId), parsed);
        return key == null || !organizationId.equals(key.record().organizationId()) ? null : key.record();
    }

    @Override
    public Stream<ApiKeyRecord> ofOrganization(RealmModel realm, String organizationId) {
        return groupsNewestFirst(realm, organizationId).flatMap(List::stream);
    }

    @Override
    public Stream<List<ApiKeyRecord>> groupsNewestFirst(RealmModel realm, String organizationId) {
        return holders(realm).newestFirst(organizationId).map(holder -> records(holder, organizationId));
    }

    @Override
    public long count(RealmModel realm, String organizationId) {
        return holders(realm).newestFirst(organizationId)
                .mapToLong(holder -> holder.credentialManager().getStoredCredentialsByTypeStream(ApiKeyCredentialModel.TYPE).count())
                .sum();
    }

    /**
     * By holder: remembered holders first (every key this node verified, listed, created or
     * changed); the others are looked for in the holders newest first, all at once.
     */
    @Override
    public Map<String, List<String>> byLocator(RealmModel realm, String organizationId, Collection<String> keyIds) {
        Map<String, List<String>> byHolder = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String keyId : keyIds) {
            String holderId = ids.holderOfKey(keyId);
            if (holderId != null) {
                byHolder.computeIfAbsent(holderId, h -> new ArrayList<>()).add(keyId);
            } else {
                unknown.add(keyId);
            }
        }
        if (!unknown.isEmpty()) {
            for (Iterator<UserModel> newestFirst = holders(realm).newestFirst(organizationId).iterator(); newestFirst.hasNext(); ) {
                UserModel holder = newestFirst.next();
                for (Iterator<String> it = unknown.iterator(); it.hasNext(); ) {
                    String keyId = it.next();
                    if (holder.credentialManager().getStoredCredentialById(keyId) != null) {
                        ids.rememberHolderOfKey(keyId, holder.getId());
                        byHolder.computeIfAbsent(holder.getId(), h -> new ArrayList<>()).add(keyId);
                        it.remove();
                    }
                }
                if (unknown.isEmpty()) {
                    break;
                }
            }
        }
        return byHolder;
    }

    @Override
    public Set<String> idsAt(RealmModel realm, String locator) {
        UserModel holder = session.users().getUserById(realm, locator);
        return holder == null ? Set.of() : holder.credentialManager().getStoredCredentialsByTypeStream(ApiKeyCredentialModel.TYPE)
                .map(CredentialModel::getId)
                .collect(Collectors.toSet());
    }

    @Override
    public String locatorForNewKey(RealmModel realm, OrganizationModel organization) {
        return holders(realm).openHolder(organization, capacity).getId();
    }

    @Override
    public void insert(RealmModel realm, String locator, ApiKeyRecord record, String secretHash) {
        UserModel holder = session.users().getUserById(realm, locator);
        if (!ids.isHolderOf(holder, record.organizationId())) {
            throw new IllegalStateException("No key holder " + locator + " for organization " + record.organizationId());
        }
        holder.credentialManager().createStoredCredential(ApiKeyCredentialModel.createFromValues(record, secretHash));
        ids.rememberHolderOfKey(record.id(), locator);
    }

    @Override
    public void update(RealmModel realm, ApiKeyRecord record) {
        UserModel holder = holderOf(realm, record.organizationId(), record.id());
        // Inside a guarded change this is the credential that findForUpdate read (JPA's persistence
        // context hands out the same entity), so the update is checked against that version.
        CredentialModel current = holder == null ? null : guarded ? GuardedWrite.fromDatabase(session, realm, holder.getId(), record.id())
                : holder.credentialManager().getStoredCredentialById(record.id());
        ApiKeyCredentialModel credential = stored(current);
        if (holder == null || credential == null) {
            throw new IllegalStateException("API key " + record.id() + " is not stored");
        }
        holder.credentialManager().updateStoredCredential(credential.withRecord(record));
    }

    @Override
    public void delete(RealmModel realm, String organizationId, String keyId) {
        UserModel holder = holderOf(realm, organizationId, keyId);
        if (holder != null) {
            holder.credentialManager().removeStoredCredentialById(keyId);
        }
    }

    @Override
    public <T> T inOwnTransaction(RealmModel realm, BiFunction<ApiKeyStore, RealmModel, T> change) {
        String realmId = realm.getId();
        return GuardedWrite.run(session, s -> change.apply(new HolderCredentialStore(s, ids, legacyHolders, parsed, capacity, true),
                s.realms().getRealm(realmId)));
    }

    @Override
    public ApiKeyRecord findForUpdate(RealmModel realm, String organizationId, String keyId) {
        if (!guarded) {
            throw new IllegalStateException("findForUpdate outside inOwnTransaction");
        }
        UserModel holder = holderOf(realm, organizationId, keyId);
        ApiKeyCredentialModel credential = holder == null ? null : stored(GuardedWrite.fromDatabase(session, realm, holder.getId(), keyId));
        return credential == null || !organizationId.equals(credential.record().organizationId()) ? null : credential.record();
    }

    @Override
    public String principalId(String organizationId) {
        return ids.holderId(organizationId);
    }

    @Override
    public UserModel principal(RealmModel realm, String organizationId) {
        return holders(realm).holder(organizationId);
    }

    /**
     * The organization's holder that keeps {@code keyId}, or null: remembered per node (a key
     * never moves, so the memo cannot go stale); on a miss, the holders are searched newest first,
     * in Keycloak's user cache (a key named by id alone is one that was just listed or is being
     * changed: the newest holders are the likely ones).
     */
    private UserModel holderOf(RealmModel realm, String organizationId, String keyId) {
        KeyHolders holders = holders(realm);
        String holderId = ids.holderOfKey(keyId);
        if (holderId != null) {
            UserModel holder = session.users().getUserById(realm, holderId);
            return ids.isHolderOf(holder, organizationId) ? holder : null;
        }
        UserModel found = holders.newestFirst(organizationId)
                .filter(holder -> holder.credentialManager().getStoredCredentialById(keyId) != null)
                .findFirst()
                .orElse(null);
        if (found != null) {
            ids.rememberHolderOfKey(keyId, found.getId());
        }
        return found;
    }

    /** The holder's keys of the organization, each remembered as the holder's (a page's usage is then found at once). */
    private List<ApiKeyRecord> records(UserModel holder, String organizationId) {
        List<ApiKeyRecord> records = holder.credentialManager().getStoredCredentialsByTypeStream(ApiKeyCredentialModel.TYPE)
                .map(c -> ApiKeyCredentialModel.storedKey(c, parsed))
                .filter(k -> k != null && organizationId.equals(k.record().organizationId()))
                .map(StoredKey::record)
                .toList();
        records.forEach(r -> ids.rememberHolderOfKey(r.id(), holder.getId()));
        return records;
    }

    private KeyHolders holders(RealmModel realm) {
        return new KeyHolders(session, realm, ids);
    }

    private ApiKeyCredentialModel stored(CredentialModel credential) {
        return ApiKeyCredentialModel.createFromCredentialModel(credential, parsed);
    }
}
