package ai.intellia.keycloak.apikey.store;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.models.OrganizationModel;


/**
 * The two technical users behind an organization's keys (they have no password and never log in):
 * the <em>holder</em>, whose credentials are the keys (cached by Keycloak's user cache, evicted
 * cluster-wide on every change, listed in the admin console), and the <em>usage ledger</em>,
 * whose attributes record last use, so that those writes never evict the holder.
 *
 * <p>Their ids are derived from the organization id, so the ids are unique by construction
 * (a concurrent second creation fails on the primary key and finds the first), verification
 * can check that a key's holder really belongs to the key's organization, and no attribute a
 * user could set on their own account is trusted.
 */
final class KeyHolders {

    private static final Logger LOG = Logger.getLogger(KeyHolders.class);
    static final String HOLDER_MARKER = "intellia.api-key-holder-of";
    static final String LEDGER_MARKER = "intellia.api-key-usage-of";

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

    UserModel holder(String organizationId) {
        return session.users().getUserById(realm, holderId(organizationId));
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
                create(s, r, HolderIds.ledgerId(orgId), "api-key-usage." + label, LEDGER_MARKER, orgId, "API key usage");
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

    private static void create(KeycloakSession s, RealmModel realm, String id, String username, String marker, String orgId, String firstName) {
        if (s.users().getUserById(realm, id) != null) {
            return;
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
    }
}
