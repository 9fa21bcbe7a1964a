package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;

/**
 * The {@code WWW-Authenticate} challenge of RFC 6750 §3 for a refusal: {@code realm} is the
 * Keycloak realm's name; no {@code error} attribute when no bearer credential was sent,
 * {@code invalid_token} for a bad one, {@code insufficient_scope} with the missing scope for a
 * credential that lacks a permission. Null when the refusal has nothing to do with the bearer.
 */
final class BearerChallenge {

    /** The error code of a 401 without a bearer credential (see {@code CallerAuthenticator}). */
    static final String NO_CREDENTIAL = "unauthorized";

    private BearerChallenge() {
    }

    static String of(ApiError error, String realmName) {
        String realm = "Bearer realm=\"" + quoted(realmName == null ? "keycloak" : realmName) + "\"";
        if (error.status() == 401) {
            return NO_CREDENTIAL.equals(error.error()) ? realm : realm + ", error=\"invalid_token\"";
        }
        if (error.status() == 403 && error.missingScope() != null) {
            return realm + ", error=\"insufficient_scope\", scope=\"" + quoted(error.missingScope()) + "\"";
        }
        return null;
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
