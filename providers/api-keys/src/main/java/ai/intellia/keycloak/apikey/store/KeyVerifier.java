package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.RealmModel;

/**
 * The one way a request presents a key (introspection, token exchange, the REST calls): checks it
 * ({@link ApiKeyService#verify}), tags the request's event with the key when it can be named
 * ({@code source}, {@code api_key_id}, {@code organization_id}, contract 4.3), and counts the
 * request once, as a use or as a refusal. Sending the event stays with the caller, which knows
 * its event type, error code and answer.
 */
public final class KeyVerifier {

    private final ApiKeyService keys;
    private final RealmModel realm;

    public KeyVerifier(ApiKeyService keys, RealmModel realm) {
        this.keys = keys;
        this.realm = realm;
    }

    public Verification verify(String presented, EventBuilder event) {
        Verification verification = keys.verify(realm, presented);
        if (verification instanceof Verification.Verified verified) {
            ApiKeyEvents.usedBy(event, verified.id(), verified.organizationId());
            keys.recordUse(realm, verified);
        } else if (verification instanceof Verification.Refused refused && refused.knownKey() != null) {
            ApiKeyEvents.usedBy(event, refused.knownKey().id(), refused.knownKey().organizationId());
            keys.recordRefusal(realm, refused.knownKey());
        }
        return verification;
    }
}
