package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.StoredKey;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Where keys are kept, and nothing else: {@link ApiKeyService} holds the rules (rotation states,
 * purge, cap, list order) on top. One instance per Keycloak session.
 *
 * <p>A key's string carries a <em>locator</em>: a UUID that the store hands out for a new key
 * ({@link #locatorForNewKey}) and gets back at {@link #findPresented}, so that finding a presented key is
 * a lookup by id, never a search. What it names is the store's business (today: the
 * organization's one key holder user; a store may as well name one of several holders of an
 * organization); to the rest of the code it is opaque.
 */
interface ApiKeyStore {

    /**
     * The hot path: the key that a presented string names, or null when there is none or the
     * locator does not belong to the key's organization. Cache reads only once warm (no write, no
     * search, no database).
     */
    StoredKey findPresented(RealmModel realm, String locator, String keyId);

    /**
     * Whether {@code locator} names a place where this realm's keys are kept: asked only for keys
     * of the untagged format, so that a made-up one costs no lookup (at most one read of the
     * realm's organizations a minute per node).
     */
    boolean isLocator(RealmModel realm, String locator);

    /** The organization whose keys {@code locator} names a place of, or null. */
    String organizationAt(RealmModel realm, String locator);

    /** A key of the organization by id (tombstones too), or null; cache reads once warm. */
    ApiKeyRecord find(RealmModel realm, String organizationId, String keyId);

    /** Every stored key of the organization, tombstones included, in no particular order. */
    Stream<ApiKeyRecord> ofOrganization(RealmModel realm, String organizationId);

    /**
     * The organization's keys in groups, lazily, the group of the newest keys first: a key is at
     * most a few seconds newer (concurrent creations) than the newest key of the group after its
     * own. So a page of the newest keys needs the groups up to the page's end and one more.
     */
    Stream<List<ApiKeyRecord>> groupsNewestFirst(RealmModel realm, String organizationId);

    /** How many keys the organization has stored, tombstones included (no record is read). */
    long count(RealmModel realm, String organizationId);

    /**
     * These keys of the organization grouped by the locator of the place that keeps them (keys not
     * stored are left out): what is noted about a key's use is kept per place, so that reading or
     * writing it costs in proportion to the keys asked for, never to the organization's.
     */
    Map<String, List<String>> byLocator(RealmModel realm, String organizationId, Collection<String> keyIds);

    /** The ids of the keys stored at {@code locator} (empty when there is no such place). */
    Set<String> idsAt(RealmModel realm, String locator);

    /** The locator that a new key of the organization will carry (its place is made on first need). */
    String locatorForNewKey(RealmModel realm, OrganizationModel organization);

    /** Stores a new key at {@code locator} (as handed out by {@link #locatorForNewKey}). */
    void insert(RealmModel realm, String locator, ApiKeyRecord record, String secretHash);

    /** Rewrites a stored key's record (its secret stays); see {@link #inOwnTransaction} for changes that may race. */
    void update(RealmModel realm, ApiKeyRecord record);

    /** Forgets a stored key. */
    void delete(RealmModel realm, String organizationId, String keyId);

    /**
     * Runs {@code change} in a transaction of its own, committed before this returns, with a store
     * whose {@link #findForUpdate} reads the database: two concurrent changes of one key collide at
     * that commit, and the loser is a 409 {@code concurrent_change}.
     */
    <T> T inOwnTransaction(RealmModel realm, BiFunction<ApiKeyStore, RealmModel, T> change);

    /** Inside {@link #inOwnTransaction}: the key as the database holds it now, or null. */
    ApiKeyRecord findForUpdate(RealmModel realm, String organizationId, String keyId);

    /** The id of the user that the organization's keys act as (the {@code sub} of what they mint and of introspection). */
    String principalId(String organizationId);

    /** That user. */
    UserModel principal(RealmModel realm, String organizationId);
}
