package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.assumerole.AssumeRoleTarget;
import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import ai.intellia.keycloak.apikey.domain.CreateKeyRequest;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.KeyGuards;
import ai.intellia.keycloak.apikey.domain.RateLimit;
import ai.intellia.keycloak.apikey.domain.RateLimits;
import ai.intellia.keycloak.apikey.domain.CredentialLabel;
import ai.intellia.keycloak.apikey.domain.KeyTag;
import ai.intellia.keycloak.apikey.domain.Paging;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import ai.intellia.keycloak.apikey.domain.Permissions;
import ai.intellia.keycloak.apikey.domain.SecretHash;
import ai.intellia.keycloak.apikey.domain.UsageDays;
import ai.intellia.keycloak.apikey.org.OrganizationAccess;
import ai.intellia.keycloak.apikey.org.OrganizationGroupIds;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.provider.Provider;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Organization API keys on top of Keycloak's user credentials: create, list, get, revoke,
 * rotate, and verify. Per session; obtain with {@code session.getProvider(ApiKeyService.class)}.
 */
public final class ApiKeyService implements Provider {

    public static final String CREDENTIAL_TYPE = "api-key";

    private static final Comparator<ApiKeyRecord> NEWEST_FIRST =
            Comparator.comparing(ApiKeyRecord::createdAt).reversed().thenComparing(ApiKeyRecord::id);
    /** Compared against when no stored hash exists, so an unknown key costs what a known one does. */
    private static final String NO_HASH = SecretHash.of(new byte[32]);

    private final KeycloakSession session;
    private final ApiKeySettings defaults;
    private final SecureRandom random;
    private final PendingUses pendingUses;
    private final ParsedRecordCache parsedRecords;
    private final PendingCounts pendingCounts;
    private final FixedWindowLimiter rateLimiter;
    private final OrganizationGroupIds groupIds;

    ApiKeyService(KeycloakSession session, ApiKeySettings defaults, SecureRandom random, PendingUses pendingUses,
                  ParsedRecordCache parsedRecords, PendingCounts pendingCounts, FixedWindowLimiter rateLimiter,
                  OrganizationGroupIds groupIds) {
        this.groupIds = groupIds;
        this.pendingCounts = pendingCounts;
        this.session = session;
        this.rateLimiter = rateLimiter;
        this.defaults = defaults;
        this.random = random;
        this.pendingUses = pendingUses;
        this.parsedRecords = parsedRecords;
    }

    /**
     * The realm's settings. An assume-role client/role pair that breaks {@link AssumeRoleTarget}'s
     * rule (say a realm attribute naming {@code admin-cli}, written past the settings' checks) is
     * ignored like any invalid value: the server-wide default pair is used.
     */
    public ApiKeySettings settings(RealmModel realm) {
        ApiKeySettings settings = ApiKeySettings.fromRealmAttributes(realm.getAttributes(), defaults);
        boolean isDefaultPair = settings.assumeRoleClient().equals(defaults.assumeRoleClient())
                && settings.assumeRoleRole().equals(defaults.assumeRoleRole());
        if (!isDefaultPair && AssumeRoleTarget.problem(realm, settings.assumeRoleClient(), settings.assumeRoleRole(),
                settings.assumeRoleRole().equals(defaults.assumeRoleRole())) != null) {
            return settings.withAssumeRoleTarget(defaults.assumeRoleClient(), defaults.assumeRoleRole());
        }
        return settings;
    }

    /** The realm's organizations: lookup by id or alias, their groups, who manages them. */
    public OrganizationAccess organizations(RealmModel realm) {
        return new OrganizationAccess(session, realm, groupIds);
    }

    /** The server-wide settings (SPI options over the built-in defaults). */
    public ApiKeySettings defaults() {
        return defaults;
    }

    /**
     * The realm's settings with the organization's own overrides: organization attributes named
     * like the realm attributes, editable in the admin console's Organizations → Attributes tab
     * (by admins who may hold only manage-organizations), so only the lifetime and the audiences.
     */
    public ApiKeySettings settings(RealmModel realm, OrganizationModel organization) {
        Map<String, List<String>> attributes = organization.getAttributes();
        return ApiKeySettings.fromOrganizationAttributes(name -> {
            List<String> values = attributes == null ? null : attributes.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }, settings(realm));
    }

    public IssuedKey create(RealmModel realm, OrganizationModel organization, CreateKeyRequest request, String createdBy) {
        UserModel holder = holders(realm).holderCreatingIfMissing(organization);
        requireRoomForAKey(holder, settings(realm).maxKeysPerOrganization());
        return issue(realm, holder, organization.getId(), request.description(), request.permissions(), request.expiresAt(), createdBy,
                request.guards());
    }

    /** Keys of the organization, newest first, without gone ones; tombstones past their time are purged on the way. */
    public List<ApiKeyRecord> list(RealmModel realm, OrganizationModel organization, Paging paging) {
        UserModel holder = holders(realm).holder(organization.getId());
        if (holder == null) {
            return List.of();
        }
        Instant now = now();
        List<ApiKeyRecord> all = records(holder).filter(r -> organization.getId().equals(r.organizationId())).toList();
        return all.stream()
                .filter(r -> !r.isGoneAt(now) || purgeIfOld(holder, r, now))
                .sorted(NEWEST_FIRST)
                .skip(paging.first())
                .limit(paging.max())
                .toList();
    }

    /**
     * Keys across the realm (or one organization), newest first. Walks the organizations: an
     * admin listing, never on the verification path.
     */
    public List<ApiKeyRecord> listRealm(RealmModel realm, OrganizationModel onlyThis, Paging paging) {
        Stream<OrganizationModel> organizations = onlyThis != null ? Stream.of(onlyThis)
                : session.getProvider(OrganizationProvider.class).getAllStream();
        return organizations
                .flatMap(org -> list(realm, org, new Paging(0, Integer.MAX_VALUE)).stream())
                .sorted(NEWEST_FIRST)
                .skip(paging.first())
                .limit(paging.max())
                .toList();
    }

    /** A key by id alone, for realm admins: looked for in each organization of the realm. */
    public Optional<ApiKeyRecord> findInRealm(RealmModel realm, String keyId) {
        return session.getProvider(OrganizationProvider.class).getAllStream()
                .map(org -> get(realm, org, keyId))
                .flatMap(Optional::stream)
                .findFirst();
    }

    public Optional<ApiKeyRecord> get(RealmModel realm, OrganizationModel organization, String keyId) {
        UserModel holder = holders(realm).holder(organization.getId());
        if (holder == null || keyId == null) {
            return Optional.empty();
        }
        ApiKeyRecord record = record(holder.credentialManager().getStoredCredentialById(keyId));
        if (record == null || !organization.getId().equals(record.organizationId()) || record.isGoneAt(now())) {
            return Optional.empty();
        }
        return Optional.of(record);
    }

    /**
     * Revokes the key: it stops working on every node at once (the holder is evicted cluster-wide)
     * and is gone from list and get, but stays stored as a tombstone (see {@link ApiKeyRecord}).
     */
    public ApiKeyRecord revoke(RealmModel realm, OrganizationModel organization, String keyId) {
        get(realm, organization, keyId).orElseThrow(ApiKeyService::keyNotFound);
        String holderId = KeyHolders.holderId(organization.getId());
        return GuardedWrite.run(session, s -> {
            RealmModel r = s.realms().getRealm(realm.getId());
            CredentialModel credential = GuardedWrite.fromDatabase(s, r, holderId, keyId);
            ApiKeyRecord current = record(credential);
            if (current == null || current.isGoneAt(now())) {
                throw keyNotFound();
            }
            ApiKeyRecord revoked = current.revoked(now());
            credential.setUserLabel(CredentialLabel.revoked(revoked.description(), revoked.prefix()));
            credential.setCredentialData(revoked.toStoredJson());
            s.users().getUserById(r, holderId).credentialManager().updateStoredCredential(credential);
            return revoked;
        });
    }

    /**
     * The successor is created and the old key marked rotated in one transaction of their own:
     * of concurrent rotations of one key exactly one wins, the others answer 409. A key rotated
     * with no grace is gone at once but stays stored as a tombstone like a revoked one (tokens it
     * minted keep their lifetime: rotation is not revocation).
     */
    public IssuedKey rotate(RealmModel realm, OrganizationModel organization, String keyId, int graceSeconds, String rotatedBy) {
        checkRotatable(get(realm, organization, keyId).orElseThrow(ApiKeyService::keyNotFound), now());
        String holderId = KeyHolders.holderId(organization.getId());
        String orgId = organization.getId();
        return GuardedWrite.run(session, s -> {
            Instant now = now();
            RealmModel r = s.realms().getRealm(realm.getId());
            CredentialModel credential = GuardedWrite.fromDatabase(s, r, holderId, keyId);
            ApiKeyRecord old = record(credential);
            if (old == null || old.isGoneAt(now)) {
                throw keyNotFound();
            }
            checkRotatable(old, now);
            UserModel holder = s.users().getUserById(r, holderId);
            // Not capped: a rotation replaces a key (a leaked one must always be rotatable).
            IssuedKey successor = issue(r, holder, orgId, old.description(), old.permissions(), old.expiresAt(), rotatedBy,
                    old.guards());
            credential.setCredentialData(old.rotated(successor.record().id(), now.plusSeconds(graceSeconds)).toStoredJson());
            holder.credentialManager().updateStoredCredential(credential);
            return successor;
        });
    }

    private static void checkRotatable(ApiKeyRecord old, Instant now) {
        if (old.isRotated()) {
            throw new ApiError(ErrorCode.KEY_ALREADY_ROTATED, "This key was already rotated and is in its grace period.");
        }
        if (!old.worksAt(now)) {
            throw keyNotFound(); // expired: nothing left to rotate
        }
    }

    /**
     * What became of the key that minted a token, for the cascade check of introspection: two
     * user-cache reads (the holder, then its credential), no database once warm.
     */
    public MinterState minterState(RealmModel realm, String organizationId, String keyId) {
        UserModel holder = session.users().getUserById(realm, KeyHolders.holderId(organizationId));
        CredentialModel credential = holder == null ? null : holder.credentialManager().getStoredCredentialById(keyId);
        return MinterState.of(record(credential));
    }

    /**
     * The hot path: a key parse (checksum first), the keyed tag (or, for an untagged key, a known
     * holder id) so that a made-up key costs no lookup, two cache reads, one SHA-256, and the
     * organization's settings once. Anything wrong gives a refusal that callers answer the same
     * way, so nobody can tell unknown from revoked from expired. No side effects: callers go
     * through {@link KeyVerifier}, which tags the event and counts the use or refusal.
     */
    Verification verify(RealmModel realm, String presented) {
        Optional<ApiKeyToken> parsed = ApiKeyToken.parse(presented);
        if (parsed.isEmpty() || !realm.isOrganizationsEnabled()) {
            return Verification.Refused.UNKNOWN;
        }
        ApiKeyToken token = parsed.get();
        boolean issuedHere = token.tag() != null
                ? KeyTag.matches(new KeyTagSecrets(session, realm).secret(random), token)
                : new LegacyKeyHolders(session, realm).isHolder(token.holderId());
        if (!issuedHere) {
            return Verification.Refused.UNKNOWN; // made up: refused in memory, before any lookup
        }
        UserModel holder = session.users().getUserById(realm, token.holderId());
        CredentialModel credential = holder == null ? null : holder.credentialManager().getStoredCredentialById(token.keyId());
        ApiKeyRecord record = record(credential);
        boolean genuine = SecretHash.matches(token.secret(), record == null ? NO_HASH : storedHash(credential));
        if (record == null || !genuine || !KeyHolders.holderId(record.organizationId()).equals(token.holderId())) {
            return Verification.Refused.UNKNOWN;
        }
        if (!record.worksAt(now())) {
            return new Verification.Refused(Verification.Reason.NOT_WORKING, record);
        }
        OrganizationModel organization = session.getProvider(OrganizationProvider.class).getById(record.organizationId());
        if (organization == null || !organization.isEnabled()) {
            return new Verification.Refused(Verification.Reason.ORGANIZATION_DISABLED, record);
        }
        return new Verification.Verified(record, organization, settings(realm, organization));
    }

    /** The user that tokens exchanged for this key are issued to: the organization's key holder. */
    public UserModel principal(RealmModel realm, Verification.Verified key) {
        return holders(realm).holder(key.organizationId());
    }

    /**
     * Notes a use of the key in memory (its last use, and one more {@code used} today);
     * {@link UsageFlusher} writes them later, in a batch.
     */
    void recordUse(RealmModel realm, Verification.Verified key) {
        long second = now().getEpochSecond();
        pendingUses.note(realm.getId(), key.organizationId(), key.id(), second);
        pendingCounts.add(realm.getId(), key.organizationId(), key.id(), Math.floorDiv(second, 86_400L), 1, 0);
    }

    /**
     * Counts a refused request of a key we can name (expired, revoked, of a disabled organization,
     * or refused by a guard rail before {@link #recordUse}): one more {@code refused} today.
     */
    void recordRefusal(RealmModel realm, ApiKeyRecord key) {
        pendingCounts.add(realm.getId(), key.organizationId(), key.id(), today(), 0, 1);
    }

    /**
     * A request already counted by {@link #recordUse} was refused after all (a missing permission,
     * a guard rail checked later): its use becomes a refusal.
     */
    public void recordRefusalAfterUse(RealmModel realm, ApiKeyRecord key) {
        pendingCounts.add(realm.getId(), key.organizationId(), key.id(), today(), -1, 1);
    }

    /** Usage counts of these keys for the last 30 days: one ledger read, this node's unwritten counts added. */
    public Map<String, UsageDays> usage(RealmModel realm, String organizationId, Collection<String> keyIds) {
        return UsageLedger.usage(session, realm, organizationId, keyIds, pendingCounts, LocalDate.ofEpochDay(today()));
    }

    private static long today() {
        return Math.floorDiv(now().getEpochSecond(), 86_400L);
    }

    /**
     * Counts one use of {@code operation} against the key's rate limit on this node (contract
     * section 8; per node, see the README): its own limit, else its organization's default; null
     * when neither sets one.
     */
    public FixedWindowLimiter.Decision rateLimit(Verification.Verified key, RateLimits.Operation operation) {
        RateLimit limit = RateLimits.effective(key.key().guards().rateLimits(), key.settings().defaultRateLimits(), operation);
        return limit == null ? null : rateLimiter.acquire(key.id() + '/' + operation.field(), limit);
    }

    public Map<String, Instant> lastUses(RealmModel realm, OrganizationModel organization, List<String> keyIds) {
        return UsageLedger.lastUses(session, realm, organization.getId(), keyIds, pendingUses);
    }

    private IssuedKey issue(RealmModel realm, UserModel holder, String organizationId, String description,
                            Permissions permissions, Instant expiresAt, String createdBy, KeyGuards guards) {
        String keyId = KeycloakModelUtils.generateId();
        ApiKeyToken token = ApiKeyToken.generate(keyId, holder.getId(), random, new KeyTagSecrets(session, realm).secret(random));
        Instant now = now();
        ApiKeyRecord record = new ApiKeyRecord(keyId, organizationId, token.displayPrefix(), description, permissions,
                now, createdBy, expiresAt, null, null).withGuards(guards);
        CredentialModel credential = new CredentialModel();
        credential.setId(keyId);
        credential.setType(CREDENTIAL_TYPE);
        credential.setUserLabel(CredentialLabel.of(description, token.displayPrefix()));
        credential.setCreatedDate(now.toEpochMilli());
        credential.setSecretData("{\"sha256\":\"" + SecretHash.of(token.secret()) + "\"}");
        credential.setCredentialData(record.toStoredJson());
        holder.credentialManager().createStoredCredential(credential);
        return new IssuedKey(record, token.encode());
    }

    /**
     * The cap on an organization's working keys (expired, revoked and rotated-away keys do not
     * count). Checked before the write, so concurrent creations may pass it by a few: a limit on
     * growth, not an exact quota.
     */
    private void requireRoomForAKey(UserModel holder, int max) {
        Instant now = now();
        if (records(holder).filter(r -> r.worksAt(now)).count() >= max) {
            throw new ApiError(ErrorCode.KEY_LIMIT_REACHED, "This organization has " + max
                    + " working API keys, the most it may have: revoke one first.");
        }
    }

    /** Always false (a gone key is never listed); forgets the tombstone once no token it minted can live. */
    private boolean purgeIfOld(UserModel holder, ApiKeyRecord record, Instant now) {
        if (record.isPurgeableAt(now)) {
            holder.credentialManager().removeStoredCredentialById(record.id());
        }
        return false;
    }

    private Stream<ApiKeyRecord> records(UserModel holder) {
        return holder.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE)
                .map(this::record)
                .filter(r -> r != null);
    }

    private ApiKeyRecord record(CredentialModel credential) {
        if (credential == null || !CREDENTIAL_TYPE.equals(credential.getType())) {
            return null;
        }
        return parsedRecords.get(credential.getId(), credential.getCredentialData());
    }

    private static String storedHash(CredentialModel credential) {
        String data = credential.getSecretData();
        int start = data == null ? -1 : data.indexOf("\"sha256\":\"");
        if (start < 0) {
            return null;
        }
        start += "\"sha256\":\"".length();
        int end = data.indexOf('"', start);
        return end < 0 ? null : data.substring(start, end);
    }

    private KeyHolders holders(RealmModel realm) {
        return new KeyHolders(session, realm);
    }

    public static ApiError keyNotFound() {
        return new ApiError(ErrorCode.API_KEY_NOT_FOUND, "No such API key in this organization.");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public void close() {
    }
}
