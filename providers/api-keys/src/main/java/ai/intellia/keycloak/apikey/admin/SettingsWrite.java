package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.assumerole.AssumeRoleTarget;
import ai.intellia.keycloak.apikey.assumerole.ChatClient;
import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.Setting;
import ai.intellia.keycloak.apikey.domain.SettingsUpdate;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.Map;

/**
 * A settings change by a realm admin, the same for the settings PUT and the admin-console tab:
 * every value valid (400), the writer allowed to choose what the change names (403), and the
 * assume-role client and role usable (400), before anything is written.
 */
final class SettingsWrite {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Map<String, String> update;
    private final ApiKeySettings current;
    private final ApiKeySettings next;

    /** @param update realm attribute → new value (null: back to the default), from {@link SettingsUpdate} */
    SettingsWrite(KeycloakSession session, RealmModel realm, Map<String, String> update) {
        this.session = session;
        this.realm = realm;
        this.update = update;
        ApiKeyService keys = session.getProvider(ApiKeyService.class);
        this.current = keys.settings(realm);
        ApiKeySettings resulting = SettingsUpdate.resulting(realm.getAttributes(), update, keys.defaults());
        boolean namesTarget = update.containsKey(Setting.ASSUME_ROLE_CLIENT.realmAttribute())
                || update.containsKey(Setting.ASSUME_ROLE_ROLE.realmAttribute());
        // A change that names neither keeps the pair in use (an ignored attribute stays ignored).
        this.next = namesTarget ? resulting : resulting.withAssumeRoleTarget(current.assumeRoleClient(), current.assumeRoleRole());
    }

    /** Whether the change names another assume-role client or role (and so needs {@link #authorize}). */
    boolean changesAssumeRoleTarget() {
        return !next.assumeRoleClient().equals(current.assumeRoleClient()) || !next.assumeRoleRole().equals(current.assumeRoleRole());
    }

    /**
     * The settings decide which client the extension mints for and which role it grants to end
     * users, so choosing them needs what Keycloak asks of an admin who would do that by hand:
     * manage-clients for the client (the extension may create it), the right to map the role
     * (or, for a role yet to be created, to manage the realm's roles and its users).
     */
    void authorize(AdminPermissionEvaluator auth) {
        if (!next.assumeRoleClient().equals(current.assumeRoleClient()) && !auth.clients().canManage()) {
            throw forbidden("Choosing the assume-role client needs the manage-clients role.");
        }
        if (changesAssumeRoleTarget()) {
            RoleModel role = realm.getRole(next.assumeRoleRole());
            boolean mayMap = role != null ? auth.roles().canMapRole(role) : auth.roles().canManage(realm) && auth.users().canManage();
            if (!mayMap) {
                throw forbidden("Choosing the assume-role role needs the right to map it to users (manage-users).");
            }
        }
    }

    /** 400 when the resulting assume-role client or role breaks {@link AssumeRoleTarget}'s rule. */
    void checkTarget() {
        String problem = AssumeRoleTarget.problem(realm, next.assumeRoleClient(), next.assumeRoleRole(), true);
        if (problem != null) {
            throw ApiError.badRequest("Invalid assume-role settings: " + problem);
        }
    }

    /** Checks the client and role, writes the attributes, and creates a missing client or role in the valid shape. */
    ApiKeySettings apply() {
        checkTarget();
        update.forEach((name, value) -> {
            if (value == null) {
                realm.removeAttribute(name);
            } else {
                realm.setAttribute(name, value);
            }
        });
        if (changesAssumeRoleTarget()) {
            // Created now, by the admin whose rights were checked: a realm attribute naming a
            // missing client with an existing role is not acted on later (see AssumeRoleTarget).
            new ChatClient(session, realm).ensure(next.assumeRoleClient(), next.assumeRoleRole());
        }
        return next;
    }

    private static ApiError forbidden(String description) {
        return new ApiError(ErrorCode.FORBIDDEN, description);
    }
}
