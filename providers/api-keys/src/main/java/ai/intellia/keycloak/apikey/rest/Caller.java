package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.store.Verification;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.UserModel;

/** Who is calling: a user with a realm-issued access token, or an API key. */
sealed interface Caller {

    /** Who acted, for events and {@code act.sub}: the user id or the key id. */
    String actorId();

    record User(UserModel user) implements Caller {
        @Override
        public String actorId() {
            return user.getId();
        }
    }

    /**
     * @param event this request's event, already tagged with the key ({@link ai.intellia.keycloak.apikey.store.KeyVerifier}):
     *              sent as the error event of a later refusal, or as the success event
     */
    record Key(Verification.Verified verified, EventBuilder event) implements Caller {
        @Override
        public String actorId() {
            return verified.id();
        }
    }
}
