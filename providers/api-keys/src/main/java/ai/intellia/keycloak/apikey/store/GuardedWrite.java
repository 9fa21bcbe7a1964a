package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import jakarta.persistence.OptimisticLockException;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.UserCredentialStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelIllegalStateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.function.Function;

/**
 * A change of one key (rotate, revoke) in a transaction of its own, so that losing a race is a
 * 409 and not a 500. Keycloak commits a request's transaction after the resource method has
 * returned (Keycloak's transaction committer), where a failure can only become a 500; here the
 * commit happens inside the call. Two concurrent changes of one credential collide on its
 * {@code @Version} column: the write reads the credential from the database (not the user
 * cache, which may still show the state before the other change) and its update is checked
 * against that version at commit.
 */
final class GuardedWrite {

    private GuardedWrite() {
    }

    static <T> T run(KeycloakSession session, Function<KeycloakSession, T> write) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), session.getContext(),
                    write::apply, "api-key change");
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            if (isConflict(e)) {
                throw conflict();
            }
            throw e;
        }
    }

    /** The credential as the database holds it now; the update that follows is checked against this version. */
    static CredentialModel fromDatabase(KeycloakSession session, RealmModel realm, String holderId, String credentialId) {
        // The user SPI's own provider (JPA), below the user cache that session.users() goes through.
        UserProvider local = session.getProvider(UserProvider.class);
        UserModel user = local.getUserById(realm, holderId);
        if (user == null || !(local instanceof UserCredentialStore store)) {
            return null;
        }
        return store.getStoredCredentialById(realm, user, credentialId);
    }

    static ApiError conflict() {
        return new ApiError(ErrorCode.CONCURRENT_CHANGE, "The API key was changed by another request at the same time; reload it and retry.");
    }

    static boolean isConflict(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ModelIllegalStateException || cause instanceof ModelDuplicateException
                    || cause instanceof OptimisticLockException || cause.getClass().getName().contains("StaleObjectState")
                    || cause.getClass().getName().contains("StaleState")) {
                return true;
            }
        }
        return false;
    }
}
