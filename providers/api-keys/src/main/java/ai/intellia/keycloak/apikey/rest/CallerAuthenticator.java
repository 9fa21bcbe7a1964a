package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.KeyVerifier;
import ai.intellia.keycloak.apikey.store.Verification;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;


/**
 * {@code Authorization: Bearer …} to a {@link Caller}: an {@code ik_…} credential is verified as
 * an API key, anything else as a realm access token by Keycloak's own authenticator. One answer
 * for every bad credential, so a caller learns nothing about which keys exist.
 */
final class CallerAuthenticator {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ApiKeyService keys;
    private final EventType eventType;

    /** @param eventType the type of a key caller's event, e.g. the error event of a key we can name that is refused (expired) */
    CallerAuthenticator(KeycloakSession session, RealmModel realm, ApiKeyService keys, EventType eventType) {
        this.session = session;
        this.realm = realm;
        this.keys = keys;
        this.eventType = eventType;
    }

    Caller authenticate() {
        String credential = bearer(session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION));
        if (ApiKeyToken.looksLikeApiKey(credential)) {
            EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(eventType);
            Verification verification = new KeyVerifier(keys, realm).verify(credential, event);
            if (verification instanceof Verification.Refused refused) {
                if (refused.knownKey() != null) {
                    event.error(Errors.INVALID_TOKEN); // the audit trail of a named key; an unknown one records nothing
                }
                throw invalid();
            }
            return new Caller.Key((Verification.Verified) verification, event);
        }
        AuthResult result;
        try {
            result = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm).setTokenString(credential).authenticate();
        } catch (RuntimeException e) {
            result = null; // a malformed JWT is just an invalid credential
        }
        if (result == null || result.user() == null || !result.user().isEnabled()) {
            throw invalid();
        }
        return new Caller.User(result.user());
    }

    private static String bearer(String header) {
        if (header == null) {
            throw new ApiError(ErrorCode.UNAUTHORIZED, "Send Authorization: Bearer <access token or API key>.");
        }
        String[] parts = header.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
            throw new ApiError(ErrorCode.UNAUTHORIZED, "Send Authorization: Bearer <access token or API key>.");
        }
        return parts[1].strip();
    }

    private static ApiError invalid() {
        return new ApiError(ErrorCode.INVALID_TOKEN, "The bearer credential is invalid, expired or revoked.");
    }
}
