package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;

/**
 * The {@code WWW-Authenticate} challenge of RFC 6750 §3 for a refusal: {@code realm} is the
 * Keycloak realm's name; no {@code error} attribute when no bearer credential was sent,
 * {@code invalid_token} for a bad one, {@code insufficient_scope} with the missing scope for a
 * credential that lacks a permission. Null when the refusal has nothing to do with the bearer
 * (also the 401 of an unsigned leak report, whose credential is a signature).
 */
final class BearerChallenge {

    private BearerChallenge() {
    }

    static String of(ApiError error, String realmName) {
        String realm = "Bearer realm=\"" + quoted(realmName == null ? "keycloak" : realmName) + "\"";
        if (error.code() == ErrorCode.UNAUTHORIZED) {
            return realm;
        }
        if (error.code() == ErrorCode.INVALID_TOKEN) {
            return realm + ", error=\"invalid_token\"";
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
