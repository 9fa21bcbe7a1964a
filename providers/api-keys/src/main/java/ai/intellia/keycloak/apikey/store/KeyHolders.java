package ai.intellia.keycloak.apikey.store;

import org.jboss.logging.Logger;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.models.OrganizationModel;


/**
 * The technical users behind an organization's keys (they have no password and never log in):
 * its <em>holders</em>, whose credentials are the keys (cached by Keycloak's user cache, evicted
 * cluster-wide on every change, listed in the admin console), and a <em>usage ledger</em> per
 * holder, whose attributes record the holder's keys' last uses and counts, so that those writes
 * never evict a holder and reading them costs in proportion to a holder's keys.
 *
 * <p>An organization's keys are spread over holders of at most {@code capacity} keys each
 * (issue 12): a write evicts, and the next verification reloads, one holder with its few keys,
 * never all keys of the organization. Holder 0 is the one holder every organization had before,
 * so keys issued then are where they were (no migration); when the newest holder is full, holder
 * n + 1 is opened. Which holders exist is the only record of how many there are (holders are
 * opened in order, never removed by us), so there is no counter to keep in step across nodes. A
 * key's string names its holder, so verification stays two cache reads.
 *
 * <p>Their ids are derived from the organization id (and the holder's number), so the ids are
 * unique by construction (a concurrent second creation fails on the primary key and finds the
 * first), verification can check that a key's holder really belongs to the key's organization,
 * and no attribute a user could set on their own account is trusted.
 */
final class KeyHolders {

    private static final Logger LOG = Logger.getLogger(KeyHolders.class);
    static final String HOLDER_MARKER = "intellia.api-key-holder-of";
    static final String LEDGER_MARKER = "intellia.api-key-usage-of";
    /** On holders 1, 2, …: the holder's number (its id is derived from it, which is what is trusted). */
    static final String HOLDER_NUMBER = "intellia.api-key-holder-number";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HolderIds ids;

    KeyHolders(KeycloakSession session, RealmModel realm, HolderIds ids) {
        this.session = session;
        this.realm = realm;
        this.ids = ids;
    }

    String holderId(String organizationId) {
        return ids.holderId(organizationId);
    }

    /** Holder 0 (null before the organization's first key). */
    UserModel holder(String organizationId) {
        return session.users().getUserById(realm, holderId(organizationId));
    }

    /**
     * The organization's holders, newest first (holder 0 last), lazily: a list that stops after a
     * page's holders reads only those. Empty before its first key.
     */
    Stream<UserModel> newestFirst(String organizationId) {
        return IntStream.iterate(newestNumber(organizationId), n -> n >= 0, n -> n - 1)
                .mapToObj(n -> session.users().getUserById(realm, ids.holderId(organizationId, n)))
                .filter(Objects::nonNull);
    }

    /**
     * The number of the organization's newest holder, -1 before its first key. Holders are opened
     * in order and never removed by us, so the newest this node last saw is a lower bound: from it,
     * one cache read per holder opened since, and one lookup of the holder not yet opened (not
     * a walk over every holder).
     */
    int newestNumber(String organizationId) {
        int n = ids.newestHolderSeen(organizationId);
        if (n > 0 && session.users().getUserById(realm, ids.holderId(organizationId, n)) == null) {
            n = 0; // only if someone deleted a holder user: look again from the first
        }
        if (n == 0 && holder(organizationId) == null) {
            return -1;
        }
        while (session.users().getUserById(realm, ids.holderId(organizationId, n + 1)) != null) {
            n++;
        }
        ids.sawNewestHolder(organizationId, n);
        return n;
    }

    /**
     * The holder that a new key of the organization goes to: the newest, or a new one when the
     * newest holds {@code capacity} keys or more. Concurrent creations may put a few more keys
     * in a holder than its capacity (a bound on reload cost, not a quota).
     */
    UserModel openHolder(OrganizationModel organization, int capacity) {
        holderCreatingIfMissing(organization);
        int n = newestNumber(organization.getId());
        UserModel newest = session.users().getUserById(realm, ids.holderId(organization.getId(), n));
        return keyCount(newest) < capacity ? newest : createHolder(organization, n + 1);
    }

    private UserModel createHolder(OrganizationModel organization, int n) {
        String realmId = realm.getId();
        String orgId = organization.getId();
        String id = ids.holderId(orgId, n);
        String label = (organization.getAlias() != null ? organization.getAlias() : orgId) + "." + n;
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                RealmModel r = s.realms().getRealm(realmId);
                UserModel holder = create(s, r, id, "api-keys." + label, HOLDER_MARKER, orgId, "API keys");
                if (holder != null) {
                    holder.setSingleAttribute(HOLDER_NUMBER, Integer.toString(n));
                }
                create(s, r, HolderIds.ledgerId(orgId, id), "api-key-usage." + label, LEDGER_MARKER, orgId, "API key usage");
            });
        } catch (ModelDuplicateException e) {
            LOG.debugf("Key holder %d of organization %s was created concurrently", n, orgId);
        }
        UserModel holder = session.users().getUserById(realm, id);
        if (holder == null) {
            throw new IllegalStateException("Could not create key holder " + n + " of organization " + orgId);
        }
        return holder;
    }

    private static long keyCount(UserModel holder) {
        return holder.credentialManager().getStoredCredentialsByTypeStream(ApiKeyCredentialModel.TYPE).count();
    }

    /** The holder, created (with the ledger) in a transaction of its own on first need. */
    UserModel holderCreatingIfMissing(OrganizationModel organization) {
        UserModel holder = holder(organization.getId());
        if (holder != null) {
            return holder;
        }
        String realmId = realm.getId();
        String orgId = organization.getId();
        String label = organization.getAlias() != null ? organization.getAlias() : orgId;
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                RealmModel r = s.realms().getRealm(realmId);
                create(s, r, holderId(orgId), "api-keys." + label, HOLDER_MARKER, orgId, "API keys");
                create(s, r, HolderIds.ledgerId(orgId, holderId(orgId)), "api-key-usage." + label, LEDGER_MARKER, orgId, "API key usage");
            });
        } catch (ModelDuplicateException e) {
            LOG.debugf("Key holder of organization %s was created concurrently", orgId);
        }
        holder = holder(orgId);
        if (holder == null) {
            throw new IllegalStateException("Could not create the API key holder of organization " + orgId);
        }
        return holder;
    }

    /** The user, or null when it exists already. */
    private static UserModel create(KeycloakSession s, RealmModel realm, String id, String username, String marker, String orgId,
                                    String firstName) {
        if (s.users().getUserById(realm, id) != null) {
            return null;
        }
        // A random suffix: usernames are guessable and self-registration could squat one.
        String unique = username.toLowerCase() + "." + KeycloakModelUtils.generateId().substring(0, 8);
        UserModel user = s.users().addUser(realm, id, unique, false, false);
        // Enabled only so that tokens exchanged for a key (sub = holder) pass Keycloak's own
        // introspection and userinfo; with no password or other login credential it cannot sign in.
        user.setEnabled(true);
        user.setFirstName(firstName);
        OrganizationModel organization = s.getProvider(OrganizationProvider.class).getById(orgId);
        user.setLastName(organization == null ? orgId : organization.getName());
        user.setSingleAttribute(marker, orgId);
        return user;
    }
}
