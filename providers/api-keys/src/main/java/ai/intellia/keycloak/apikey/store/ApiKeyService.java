package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.assumerole.AssumeRoleTarget;
import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import ai.intellia.keycloak.apikey.domain.CreateKeyRequest;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.RateLimit;
import ai.intellia.keycloak.apikey.domain.RateLimits;
import ai.intellia.keycloak.apikey.domain.KeyTag;
import ai.intellia.keycloak.apikey.domain.Paging;
import ai.intellia.keycloak.apikey.domain.StoredKey;
import ai.intellia.keycloak.apikey.domain.SecretHash;
import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import ai.intellia.keycloak.apikey.org.OrganizationAccess;
import ai.intellia.keycloak.apikey.org.OrganizationGroupIds;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
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

    public static final String CREDENTIAL_TYPE = ApiKeyCredentialModel.TYPE;

    private static final Comparator<ApiKeyRecord> NEWEST_FIRST =
            Comparator.comparing(ApiKeyRecord::createdAt).reversed().thenComparing(ApiKeyRecord::id);
    /** Compared against when no stored hash exists, so an unknown key costs what a known one does. */
    private static final String NO_HASH = SecretHash.of(new byte[32]);

    private final KeycloakSession session;
    private final ApiKeySettings defaults;
    private final SecureRandom random;
    private final PendingUses pendingUses;
    private final ApiKeyStore store;
    private final KeyTagSecrets tagSecrets;
    private final PendingCounts pendingCounts;
    private final FixedWindowLimiter rateLimiter;
    private final OrganizationGroupIds groupIds;

    ApiKeyService(KeycloakSession session, ApiKeySettings defaults, SecureRandom random, PendingUses pendingUses,
                  PendingCounts pendingCounts, FixedWindowLimiter rateLimiter, ApiKeyStore store, KeyTagSecrets tagSecrets,
                  OrganizationGroupIds groupIds) {
        this.groupIds = groupIds;
        this.pendingCounts = pendingCounts;
        this.session = session;
        this.rateLimiter = rateLimiter;
        this.defaults = defaults;
        this.random = random;
        this.pendingUses = pendingUses;
        this.store = store;
        this.tagSecrets = tagSecrets;
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

    /** A new key, recorded as a {@code create} event of {@code actor} (who is its {@code createdBy}). */
    public IssuedKey create(RealmModel realm, OrganizationModel organization, CreateKeyRequest request, KeyActor actor) {
        requireRoomForAKey(realm, organization.getId(), settings(realm).maxKeysPerOrganization()); // a refusal writes nothing
        String locator = store.locatorForNewKey(realm, organization);
        IssuedKey issued = issue(store, realm, locator, organization.getId(), request.asSettings(), actor.userId(), tagSecret(realm));
        ApiKeyEvents.created(session, realm, actor.userId(), issued.record());
        return issued;
    }

    /** Keys of the organization, newest first, without gone ones; tombstones past their time are purged on the way. */
    public List<ApiKeyRecord> list(RealmModel realm, OrganizationModel organization, Paging paging) {
        Instant now = now();
        long wanted = (long) paging.first() + paging.max();
        List<ApiKeyRecord> visible = new ArrayList<>();
        boolean lastGroup = false;
        // O(page): the groups up to the page's end, and one more for keys created at the same time
        for (Iterator<List<ApiKeyRecord>> groups = store.groupsNewestFirst(realm, organization.getId()).iterator(); groups.hasNext(); ) {
            groups.next().stream().filter(r -> !r.isGoneAt(now) || purgeIfOld(realm, r, now)).forEach(visible::add);
            if (lastGroup) {
                break;
            }
            lastGroup = visible.size() >= wanted;
        }
        return visible.stream()
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
        ApiKeyRecord record = keyId == null ? null : store.find(realm, organization.getId(), keyId);
        return record == null || record.isGoneAt(now()) ? Optional.empty() : Optional.of(record);
    }

    /**
     * Revokes the key: it stops working on every node at once (the holder is evicted cluster-wide)
     * and is gone from list and get, but stays stored as a tombstone (see {@link ApiKeyRecord}).
     * Recorded as a {@code revoke} event of {@code actor}.
     */
    public ApiKeyRecord revoke(RealmModel realm, OrganizationModel organization, String keyId, KeyActor actor) {
        get(realm, organization, keyId).orElseThrow(ApiKeyService::keyNotFound);
        String orgId = organization.getId();
        ApiKeyRecord revoked = store.inOwnTransaction(realm, (tx, r) -> {
            ApiKeyRecord current = tx.findForUpdate(r, orgId, keyId);
            if (current == null || current.isGoneAt(now())) {
                throw keyNotFound();
            }
            ApiKeyRecord gone = current.revoked(now());
            tx.update(r, gone);
            return gone;
        });
        if (actor.isLeakReport()) {
            ApiKeyEvents.revokedAfterLeakReport(session, realm, store.principalId(orgId), revoked, actor.leakReportUrl());
        } else {
            ApiKeyEvents.revoked(session, realm, actor.userId(), revoked);
        }
        return revoked;
    }

    /**
     * A key's credential was deleted past this service (the admin console's Users → Credentials
     * tab, or the admin REST API under {@code users/{id}/credentials}): the key is gone like a
     * revoked one, so its {@code revoke} event is recorded here, for {@code actorUserId} (the realm
     * admin). Nothing when {@code locator} names no place of this realm's keys.
     */
    public void recordDeletedCredential(RealmModel realm, String locator, String keyId, String actorUserId) {
        String organizationId = store.organizationAt(realm, locator);
        if (organizationId != null) {
            ApiKeyEvents.deletedAsCredential(session, realm, actorUserId, keyId, organizationId);
        }
    }

    /**
     * The successor is created and the old key marked rotated in one transaction of their own:
     * of concurrent rotations of one key exactly one wins, the others answer 409. A key rotated
     * with no grace is gone at once but stays stored as a tombstone like a revoked one (tokens it
     * minted keep their lifetime: rotation is not revocation). Recorded as a {@code rotate} event
     * of {@code actor}, who is the successor's {@code createdBy}.
     */
    public IssuedKey rotate(RealmModel realm, OrganizationModel organization, String keyId, int graceSeconds, KeyActor actor) {
        checkRotatable(get(realm, organization, keyId).orElseThrow(ApiKeyService::keyNotFound), now());
        String orgId = organization.getId();
        byte[] tagSecret = tagSecret(realm);
        String locator = store.locatorForNewKey(realm, organization);
        IssuedKey rotated = store.inOwnTransaction(realm, (tx, r) -> {
            Instant now = now();
            ApiKeyRecord old = tx.findForUpdate(r, orgId, keyId);
            if (old == null || old.isGoneAt(now)) {
                throw keyNotFound();
            }
            checkRotatable(old, now);
            // Not capped: a rotation replaces a key (a leaked one must always be rotatable).
            IssuedKey successor = issue(tx, r, locator, orgId, old, actor.userId(), tagSecret);
            tx.update(r, old.rotated(successor.record().id(), now.plusSeconds(graceSeconds)));
            return successor;
        });
        ApiKeyEvents.rotated(session, realm, actor.userId(), rotated.record(), keyId);
        return rotated;
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
     * What became of the key that minted a token, for the cascade check of introspection: cache
     * reads (today the holder, then its credential), no database once warm.
     */
    public MinterState minterState(RealmModel realm, String organizationId, String keyId) {
        return MinterState.of(keyId == null ? null : store.find(realm, organizationId, keyId));
    }

    /**
     * The hot path: a key parse (checksum first), the keyed tag (or, for an untagged key, a known
     * locator) so that a made-up key costs no lookup, the store's find (two cache reads), one
     * SHA-256, and the organization's settings once. Anything wrong gives a refusal that callers
     * answer the same way, so nobody can tell unknown from revoked from expired. No side effects:
     * callers go through {@link KeyVerifier}, which tags the event and counts the use or refusal.
     */
    Verification verify(RealmModel realm, String presented) {
        Optional<ApiKeyToken> parsed = ApiKeyToken.parse(presented);
        if (parsed.isEmpty() || !realm.isOrganizationsEnabled()) {
            return Verification.Refused.UNKNOWN;
        }
        ApiKeyToken token = parsed.get();
        boolean issuedHere = token.tag() != null
                ? KeyTag.matches(tagSecret(realm), token)
                : store.isLocator(realm, token.locator());
        if (!issuedHere) {
            return Verification.Refused.UNKNOWN; // made up: refused in memory, before any lookup
        }
        StoredKey stored = store.findPresented(realm, token.locator(), token.keyId());
        boolean genuine = SecretHash.matches(token.secret(), stored == null ? NO_HASH : stored.secretHash());
        if (stored == null || !genuine) {
            return Verification.Refused.UNKNOWN;
        }
        ApiKeyRecord record = stored.record();
        if (!record.worksAt(now())) {
            return new Verification.Refused(Verification.Reason.NOT_WORKING, record);
        }
        OrganizationModel organization = session.getProvider(OrganizationProvider.class).getById(record.organizationId());
        if (organization == null || !organization.isEnabled()) {
            return new Verification.Refused(Verification.Reason.ORGANIZATION_DISABLED, record);
        }
        return new Verification.Verified(record, organization, settings(realm, organization));
    }

    /** The user that tokens exchanged for this key are issued to (for every key of its organization the same). */
    public UserModel principal(RealmModel realm, Verification.Verified key) {
        return store.principal(realm, key.organizationId());
    }

    /** The id of the user that a key of this organization acts as (see {@link #principal}). */
    public String principalId(String organizationId) {
        return store.principalId(organizationId);
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

    /**
     * Last uses and usage counts (last 30 days) of these keys of one organization: one read of the
     * ledger of each holder they are in, this node's unwritten uses and counts merged in.
     */
    public KeyActivity activity(RealmModel realm, String organizationId, Collection<String> keyIds) {
        return UsageLedger.read(session, realm, organizationId, keyIds, pendingUses, pendingCounts, LocalDate.ofEpochDay(today()));
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
        return limit == null ? null : rateLimiter.acquire(new LimitedCall(key.id(), operation), limit);
    }

    /** What a rate-limit window counts: one operation of one key (its hash is the key id's, already computed). */
    private record LimitedCall(String keyId, RateLimits.Operation operation) {
    }

    /** A new key of the organization with the creator's choices taken from {@code settings} (see {@link ApiKeyRecord#withSettingsOf}). */
    private IssuedKey issue(ApiKeyStore to, RealmModel realm, String locator, String organizationId, ApiKeyRecord settings,
                            String createdBy, byte[] tagSecret) {
        String keyId = KeycloakModelUtils.generateId();
        ApiKeyToken token = ApiKeyToken.generate(keyId, locator, random, tagSecret);
        ApiKeyRecord record = ApiKeyRecord.issued(keyId, organizationId, token.displayPrefix(), now(), createdBy).withSettingsOf(settings);
        to.insert(realm, locator, record, SecretHash.of(token.secret()));
        return new IssuedKey(record, token.encode());
    }

    /**
     * The cap on an organization's working keys (expired, revoked and rotated-away keys do not
     * count). Checked before the write, so concurrent creations may pass it by a few: a limit on
     * growth, not an exact quota.
     */
    private void requireRoomForAKey(RealmModel realm, String organizationId, int max) {
        Instant now = now();
        // the stored keys bound the working ones: their records are read only near the cap
        if (store.count(realm, organizationId) >= max
                && store.ofOrganization(realm, organizationId).filter(r -> r.worksAt(now)).count() >= max) {
            throw new ApiError(ErrorCode.KEY_LIMIT_REACHED, "This organization has " + max
                    + " working API keys, the most it may have: revoke one first.");
        }
    }

    /** Always false (a gone key is never listed); forgets the tombstone once no token it minted can live. */
    private boolean purgeIfOld(RealmModel realm, ApiKeyRecord record, Instant now) {
        if (record.isPurgeableAt(now)) {
            store.delete(realm, record.organizationId(), record.id());
        }
        return false;
    }

    private byte[] tagSecret(RealmModel realm) {
        return tagSecrets.secret(session, realm, random);
    }

    ApiKeyStore store() {
        return store;
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
