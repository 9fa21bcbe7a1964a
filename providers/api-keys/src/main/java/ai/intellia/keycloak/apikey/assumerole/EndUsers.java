package ai.intellia.keycloak.apikey.assumerole;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.AssumeRoleRequest;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * The organization-scoped accounts of a customer's end users. The Keycloak id is derived from
 * (organization, userId), so an end user is always a separate account, never an existing realm
 * user whose id, username or email happens to match; and two concurrent first calls collide on
 * the primary key, one creates and both then read the same user.
 */
final class EndUsers {

    private static final Logger LOG = Logger.getLogger(EndUsers.class);
    static final String EXTERNAL_ID = "intellia.user-id";
    static final String ORGANIZATION = "intellia.organization-id";
    static final String ASSERTED_EMAIL = "intellia.asserted-email";

    private final KeycloakSession session;
    private final RealmModel realm;

    EndUsers(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    static String idOf(String organizationId, String userId) {
        return UUID.nameUUIDFromBytes(("intellia-end-user:" + organizationId + ":" + userId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The end user, created on first use (member of the organization, in {@code defaultGroup});
     * email and name follow what the backend asserts; the role is granted if it went missing.
     */
    UserModel provision(OrganizationModel organization, AssumeRoleRequest request,
                        Function<OrganizationModel, GroupModel> defaultGroup, RoleModel role) {
        String id = idOf(organization.getId(), request.userId());
        UserModel user = session.users().getUserById(realm, id);
        if (user != null && (!user.isEnabled() || !session.getProvider(OrganizationProvider.class).isMember(organization, user))) {
            // A realm admin disabled the account or took it out of the organization: that decision
            // stands, provisioning neither re-enables nor re-adds it.
            throw new ApiError(ErrorCode.END_USER_DISABLED, "This end user was disabled or removed from the organization by an administrator.");
        }
        boolean createdHere = false;
        if (user == null) {
            createdHere = create(organization, request, id, defaultGroup, role);
            user = session.users().getUserById(realm, id);
            if (user == null) {
                throw new IllegalStateException("End user " + id + " could not be created");
            }
        }
        if (createdHere) {
            return user; // created with this request's name, email and role: nothing to check (each read loads more of the user)
        }
        update(user, request);
        if (!user.hasDirectRole(role)) {
            user.grantRole(role); // repair only (an admin removed it): new users get it on creation
        }
        return user;
    }

    /**
     * Creates the user with everything that concurrent first calls must not each write again: a
     * role mapping granted by every racer in its own request would collide on the primary key
     * and fail the losers with 409. Name and email are set here too, so that the request that
     * created the user writes nothing more (each write would evict the user and make Keycloak
     * load it again, with its organization checks). False when a concurrent call created it first
     * (with its own name and email, which this request's then replace).
     */
    private boolean create(OrganizationModel organization, AssumeRoleRequest request, String id,
                           Function<OrganizationModel, GroupModel> defaultGroup, RoleModel role) {
        String orgId = organization.getId();
        String roleId = role.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                RealmModel r = s.realms().getRealm(realm.getId());
                UserModel user = s.users().addUser(r, id, "org-user." + id, false, false);
                user.setEnabled(true);
                user.setSingleAttribute(EXTERNAL_ID, request.userId());
                user.setSingleAttribute(ORGANIZATION, orgId);
                OrganizationProvider organizations = s.getProvider(OrganizationProvider.class);
                OrganizationModel org = organizations.getById(orgId);
                organizations.addMember(org, user);
                user.joinGroup(defaultGroup.apply(org));
                user.grantRole(r.getRoleById(roleId));
                new EndUsers(s, r).update(user, request);
            });
            return true;
        } catch (ModelDuplicateException e) {
            LOG.debugf("End user %s was created by a concurrent call", id);
            return false;
        }
    }

    /**
     * The asserted email lives in an attribute (and the token's claim), not in the account's email:
     * that field is unique in a realm that forbids duplicate emails, so an asserted address there
     * would block the real person from registering or being created with it. Only where the
     * realm allows duplicates does the account carry it (never verified).
     */
    private void update(UserModel user, AssumeRoleRequest request) {
        if (request.userName() != null && !request.userName().equals(user.getFirstName())) {
            user.setFirstName(request.userName());
        }
        String previous = user.getFirstAttribute(ASSERTED_EMAIL);
        if (request.userEmail() != null && !request.userEmail().equals(previous)) {
            user.setSingleAttribute(ASSERTED_EMAIL, request.userEmail());
            if (realm.isDuplicateEmailsAllowed()) {
                user.setEmail(request.userEmail());
                user.setEmailVerified(false);
            } else if (user.getEmail() != null && user.getEmail().equalsIgnoreCase(Objects.toString(previous, ""))) {
                user.setEmail(null); // set by an earlier version from the previous assertion: release it
            }
        }
    }

    static String email(UserModel user) {
        return user.getFirstAttribute(ASSERTED_EMAIL);
    }

    static String name(UserModel user) {
        return user.getFirstName();
    }
}
