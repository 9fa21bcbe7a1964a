package ai.intellia.keycloak.apikey.org;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds an organization by id or alias, tells who may manage it (members of its Owners and
 * Admins organization groups), and provides its groups, creating a missing one on first need.
 */
public final class OrganizationAccess {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OrganizationProvider organizations;
    private final OrganizationGroupIds groupIds;

    /** @param groupIds this node's remembered group ids (see {@link #find}) */
    public OrganizationAccess(KeycloakSession session, RealmModel realm, OrganizationGroupIds groupIds) {
        this.session = session;
        this.realm = realm;
        this.groupIds = groupIds;
        this.organizations = session.getProvider(OrganizationProvider.class);
    }

    public OrganizationModel find(String idOrAlias) {
        OrganizationModel organization = null;
        if (realm.isOrganizationsEnabled() && organizations != null && idOrAlias != null && !idOrAlias.isBlank()) {
            organization = organizations.getById(idOrAlias);
            if (organization == null) {
                organization = organizations.getByAlias(idOrAlias);
            }
        }
        if (organization == null) {
            throw new ApiError(ErrorCode.ORGANIZATION_NOT_FOUND, "No such organization in this realm.");
        }
        return organization;
    }

    /** A disabled organization mints no tokens and gets no new keys (contract section 5). */
    public static ApiError disabled() {
        return new ApiError(ErrorCode.ORGANIZATION_DISABLED, "This organization is disabled.");
    }

    public Stream<OrganizationModel> organizationsOf(UserModel user) {
        return realm.isOrganizationsEnabled() ? organizations.getByMember(user) : Stream.empty();
    }

    public boolean isManager(OrganizationModel organization, UserModel user, ApiKeySettings settings) {
        Set<String> managerGroups = Set.of(group(organization, settings.ownersGroup()).getId(), group(organization, settings.adminsGroup()).getId());
        return organizations.isMember(organization, user)
                && organizations.getOrganizationGroupsByMember(organization, user).anyMatch(g -> managerGroups.contains(g.getId()));
    }

    /** The top-level organization group of that name; created (in its own transaction) when missing. */
    public GroupModel group(OrganizationModel organization, String name) {
        Optional<GroupModel> existing = find(organization, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        String orgId = organization.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                OrganizationProvider provider = s.getProvider(OrganizationProvider.class);
                OrganizationModel org = provider.getById(orgId);
                if (provider.searchGroupsByName(org, name, true, 0, 1).findAny().isEmpty()) {
                    provider.createGroup(org, name, null);
                }
            });
        } catch (ModelDuplicateException e) {
            // created concurrently
        }
        return find(organization, name).orElseThrow(() -> new IllegalStateException("Could not create organization group " + name));
    }

    /**
     * The group by name; its id is remembered, because the name search is a query (uncached)
     * while a group by id comes from the realm cache. A remembered id is used only while that
     * group still exists, has that name, belongs to that organization and is top-level.
     */
    private Optional<GroupModel> find(OrganizationModel organization, String name) {
        String knownId = groupIds.get(realm.getId(), organization.getId(), name);
        if (knownId != null) {
            GroupModel known = session.groups().getGroupById(realm, knownId);
            if (known != null && name.equals(known.getName()) && isTopLevelOf(organization, known)) {
                return Optional.of(known);
            }
            groupIds.forget(realm.getId(), organization.getId(), name, knownId);
        }
        Optional<GroupModel> found = organizations.searchGroupsByName(organization, name, true, 0, 10)
                .filter(g -> isTopLevelOf(organization, g))
                .filter(g -> name.equals(g.getName()))
                .findFirst();
        found.ifPresent(g -> groupIds.put(realm.getId(), organization.getId(), name, g.getId()));
        return found;
    }

    private boolean isTopLevelOf(OrganizationModel organization, GroupModel group) {
        OrganizationModel owner = group.getOrganization();
        return owner != null && organization.getId().equals(owner.getId())
                && (group.getParentId() == null || group.getParentId().equals(organizations.getOrganizationGroup(organization).getId()));
    }
}
