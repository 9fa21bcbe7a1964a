package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import jakarta.ws.rs.ForbiddenException;

/**
 * Keycloak's own admin-role checks ({@code AdminPermissionEvaluator.require…}), with their refusal
 * in this API's error shape: Keycloak throws a bare {@link ForbiddenException}, which its error
 * handler would answer {@code {"error":"HTTP 403 Forbidden"}} without a description.
 */
final class AdminRoles {

    static final String VIEW_USERS = "Listing API keys needs Keycloak's view-users or manage-users role in this realm.";
    static final String MANAGE_USERS = "Revoking API keys needs Keycloak's manage-users role in this realm.";
    static final String VIEW_REALM = "Reading the API key settings needs Keycloak's view-realm or manage-realm role.";
    static final String MANAGE_REALM = "Changing the API key settings needs Keycloak's manage-realm role.";

    private AdminRoles() {
    }

    static void require(Runnable check, String description) {
        try {
            check.run();
        } catch (ForbiddenException e) {
            throw new ApiError(ErrorCode.FORBIDDEN, description);
        }
    }
}
