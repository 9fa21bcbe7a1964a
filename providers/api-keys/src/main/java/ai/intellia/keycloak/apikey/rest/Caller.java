package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.store.VerifiedKey;
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

    record Key(VerifiedKey key) implements Caller {
        @Override
        public String actorId() {
            return key.id();
        }
    }
}
