package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import ai.intellia.keycloak.apikey.domain.StoredKey;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keys as credentials of the organization's one key holder user ({@link KeyHolders}): the
 * locator is the holder's id. Keycloak's user cache keeps holder and credentials, so finding a
 * presented key is two cache reads; every write evicts the holder on every node.
 */
final class HolderCredentialStore implements ApiKeyStore {

    private final KeycloakSession session;
    private final HolderIds ids;
    private final LegacyKeyHolders legacyHolders;
    private final ParsedRecordCache parsed;
    /** Inside {@link #inOwnTransaction}: reads for an update go to the database. */
    private final boolean guarded;

    HolderCredentialStore(KeycloakSession session, HolderIds ids, LegacyKeyHolders legacyHolders, ParsedRecordCache parsed) {
        this(session, ids, legacyHolders, parsed, false);
    }

    private HolderCredentialStore(KeycloakSession session, HolderIds ids, LegacyKeyHolders legacyHolders, ParsedRecordCache parsed,
                                  boolean guarded) {
        this.session = session;
        this.ids = ids;
        this.legacyHolders = legacyHolders;
        this.parsed = parsed;
        this.guarded = guarded;
    }

    @Override
    public StoredKey findPresented(RealmModel realm, String locator, String keyId) {
        UserModel holder = session.users().getUserById(realm, locator);
        // The parse as remembered, without building a credential model: this runs on every request.
        StoredKey key = holder == null ? null
                : ApiKeyCredentialModel.storedKey(holder.credentialManager().getStoredCredentialById(keyId), parsed);
        if (key == null || !ids.holderId(key.record().organizationId()).equals(locator)) {
            return null; // a holder's id with a key of another organization: not this organization's key
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
        // The marker is only a hint: the id derived from it must be the holder's own.
        return organizationId != null && ids.holderId(organizationId).equals(locator) ? organizationId : null;
    }

    @Override
    public ApiKeyRecord find(RealmModel realm, String organizationId, String keyId) {
        UserModel holder = holders(realm).holder(organizationId);
        StoredKey key = holder == null || keyId == null ? null
                : ApiKeyCredentialModel.storedKey(holder.credentialManager().getStoredCredentialById(keyId), parsed);
        return key == null || !organizationId.equals(key.record().organizationId()) ? null : key.record();
    }

    @Override
    public Stream<ApiKeyRecord> ofOrganization(RealmModel realm, String organizationId) {
        UserModel holder = holders(realm).holder(organizationId);
        return holder == null ? Stream.empty() : holder.credentialManager().getStoredCredentialsByTypeStream(ApiKeyCredentialModel.TYPE)
                .map(c -> ApiKeyCredentialModel.storedKey(c, parsed))
                .filter(k -> k != null && organizationId.equals(k.record().organizationId()))
                .map(StoredKey::record);
    }

    @Override
    public Set<String> ids(RealmModel realm, String organizationId) {
        UserModel holder = holders(realm).holder(organizationId);
        return holder == null ? Set.of() : holder.credentialManager().getStoredCredentialsByTypeStream(ApiKeyCredentialModel.TYPE)
                .map(CredentialModel::getId)
                .collect(Collectors.toSet());
    }

    @Override
    public String locatorForNewKey(RealmModel realm, OrganizationModel organization) {
        return holders(realm).holderCreatingIfMissing(organization).getId();
    }

    @Override
    public void insert(RealmModel realm, String locator, ApiKeyRecord record, String secretHash) {
        UserModel holder = session.users().getUserById(realm, locator);
        if (holder == null || !locator.equals(ids.holderId(record.organizationId()))) {
            throw new IllegalStateException("No key holder " + locator + " for organization " + record.organizationId());
        }
        holder.credentialManager().createStoredCredential(ApiKeyCredentialModel.createFromValues(record, secretHash));
    }

    @Override
    public void update(RealmModel realm, ApiKeyRecord record) {
        String holderId = ids.holderId(record.organizationId());
        UserModel holder = session.users().getUserById(realm, holderId);
        // Inside a guarded change this is the credential that findForUpdate read (JPA's persistence
        // context hands out the same entity), so the update is checked against that version.
        CredentialModel current = guarded ? GuardedWrite.fromDatabase(session, realm, holderId, record.id())
                : holder == null ? null : holder.credentialManager().getStoredCredentialById(record.id());
        ApiKeyCredentialModel credential = stored(current);
        if (holder == null || credential == null) {
            throw new IllegalStateException("API key " + record.id() + " is not stored");
        }
        holder.credentialManager().updateStoredCredential(credential.withRecord(record));
    }

    @Override
    public void delete(RealmModel realm, String organizationId, String keyId) {
        UserModel holder = holders(realm).holder(organizationId);
        if (holder != null) {
            holder.credentialManager().removeStoredCredentialById(keyId);
        }
    }

    @Override
    public <T> T inOwnTransaction(RealmModel realm, BiFunction<ApiKeyStore, RealmModel, T> change) {
        String realmId = realm.getId();
        return GuardedWrite.run(session, s -> change.apply(new HolderCredentialStore(s, ids, legacyHolders, parsed, true),
                s.realms().getRealm(realmId)));
    }

    @Override
    public ApiKeyRecord findForUpdate(RealmModel realm, String organizationId, String keyId) {
        if (!guarded) {
            throw new IllegalStateException("findForUpdate outside inOwnTransaction");
        }
        ApiKeyCredentialModel credential = stored(GuardedWrite.fromDatabase(session, realm, ids.holderId(organizationId), keyId));
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

    private KeyHolders holders(RealmModel realm) {
        return new KeyHolders(session, realm, ids);
    }

    private ApiKeyCredentialModel stored(CredentialModel credential) {
        return ApiKeyCredentialModel.createFromCredentialModel(credential, parsed);
    }
}
