package ai.intellia.keycloak.apikey.assumerole;

import org.keycloak.Config;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

/**
 * The one rule for what the assume-role client and role may be (contract section 6), so that
 * settings never widen what an admin may grant: the client public, full scope off, its scope
 * holding nothing but the role; the role a plain realm role (not composite, not an admin role).
 * A pair that does not exist yet is fine: {@link ChatClient} creates exactly that shape.
 */
public final class AssumeRoleTarget {

    private AssumeRoleTarget() {
    }

    /**
     * Why {@code clientId}/{@code roleName} may not be the assume-role pair, or null when they may.
     *
     * @param mayScopeExistingRole whether a missing client may be created with an existing role in
     *     its scope: true for the server-wide default role and for a writer whose right to map the
     *     role was checked; false for a name that someone put straight into a realm attribute, where
     *     creating the client would map the role on behalf of whoever wrote it
     */
    public static String problem(RealmModel realm, String clientId, String roleName, boolean mayScopeExistingRole) {
        RoleModel role = realm.getRole(roleName);
        if (role != null) {
            if (role.isComposite()) {
                return "the role '" + roleName + "' is composite: it would grant the roles it contains.";
            }
            if (isAdminRole(realm, role)) {
                return "the role '" + roleName + "' is an administrator role.";
            }
        }
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            return role == null || mayScopeExistingRole ? null
                    : "the client '" + clientId + "' does not exist; create it (public, full scope off, scope mapping to '"
                    + roleName + "') or choose it through the settings.";
        }
        if (!client.isPublicClient()) {
            return "the client '" + clientId + "' must be a public client.";
        }
        if (client.isFullScopeAllowed()) {
            return "the client '" + clientId + "' must have full scope off.";
        }
        if (client.getScopeMappingsStream().anyMatch(mapped -> role == null || !mapped.getId().equals(role.getId()))) {
            return "the scope of client '" + clientId + "' may hold only the role '" + roleName + "'.";
        }
        return null;
    }

    /** The master realm's realm roles that make an administrator, and every realm's default-roles composite. */
    private static boolean isAdminRole(RealmModel realm, RoleModel role) {
        if (realm.getDefaultRole() != null && realm.getDefaultRole().getId().equals(role.getId())) {
            return true;
        }
        return Config.getAdminRealm().equals(realm.getName())
                && (AdminRoles.ADMIN.equals(role.getName()) || AdminRoles.CREATE_REALM.equals(role.getName()));
    }
}
