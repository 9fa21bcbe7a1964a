package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

import java.util.Set;

/** Finds an organization by id or alias, and tells who may manage it (its Owners and Admins groups). */
final class OrganizationAccess {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OrganizationProvider organizations;

    OrganizationAccess(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.organizations = session.getProvider(OrganizationProvider.class);
    }

    OrganizationModel find(String idOrAlias) {
        OrganizationModel organization = null;
        if (realm.isOrganizationsEnabled() && organizations != null && idOrAlias != null && !idOrAlias.isBlank()) {
            organization = organizations.getById(idOrAlias);
            if (organization == null) {
                organization = organizations.getByAlias(idOrAlias);
            }
        }
        if (organization == null) {
            throw ApiError.notFound("organization_not_found", "No such organization in this realm.");
        }
        return organization;
    }

    /** Owner or Admin: a member in the organization group named by the settings (groups made on first need). */
    boolean isManager(OrganizationModel organization, UserModel user, ApiKeySettings settings) {
        GroupModel owners = group(organization, settings.ownersGroup());
        GroupModel admins = group(organization, settings.adminsGroup());
        if (!organizations.isMember(organization, user)) {
            return false;
        }
        Set<String> managerGroups = Set.of(owners.getId(), admins.getId());
        return organizations.getOrganizationGroupsByMember(organization, user).anyMatch(g -> managerGroups.contains(g.getId()));
    }

    /** The top-level organization group of that name, created when missing. */
    GroupModel group(OrganizationModel organization, String name) {
        return organizations.searchGroupsByName(organization, name, true, 0, 1).findFirst()
                .orElseGet(() -> organizations.createGroup(organization, name, null));
    }
}
