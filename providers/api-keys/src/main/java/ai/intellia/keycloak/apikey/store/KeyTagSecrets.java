package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.BoundedMemo;
import ai.intellia.keycloak.apikey.domain.KeyTag;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * The realm's {@link KeyTag} secret, shared by every node through the database: an attribute of a
 * technical user whose id is derived from the realm id, so that two nodes creating it at once
 * collide on the primary key and both end up with the winner's secret (a realm attribute would
 * let the later write win after the earlier one had tagged a key). Created on the realm's first
 * key creation or verification (so that "no secret yet" is never a state that needs a lookup per
 * request); never changes afterwards, so each node remembers it. The user has no credentials,
 * is disabled and its attribute is unmanaged (not shown by the admin API): deleting it makes every
 * tagged key of the realm unusable. One per node, owned by {@link ApiKeyServiceFactory}.
 */
final class KeyTagSecrets {

    private static final Logger LOG = Logger.getLogger(KeyTagSecrets.class);
    static final String ATTRIBUTE = "intellia.api-key-tag-secret";
    private final BoundedMemo<String, byte[]> known = new BoundedMemo<>(1_000);

    private byte[] find(KeycloakSession session, RealmModel realm) {
        byte[] remembered = known.get(realm.getId());
        if (remembered != null) {
            return remembered;
        }
        UserModel holder = session.users().getUserById(realm, userId(realm.getId()));
        String encoded = holder == null ? null : holder.getFirstAttribute(ATTRIBUTE);
        if (encoded == null) {
            return null;
        }
        byte[] secret = Base64.getDecoder().decode(encoded);
        known.put(realm.getId(), secret);
        return secret;
    }

    /** The secret, created (in a transaction of its own) when the realm has none yet. */
    byte[] secret(KeycloakSession session, RealmModel realm, SecureRandom random) {
        byte[] existing = find(session, realm);
        if (existing != null) {
            return existing;
        }
        byte[] secret = new byte[KeyTag.SECRET_BYTES];
        random.nextBytes(secret);
        String realmId = realm.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                RealmModel r = s.realms().getRealm(realmId);
                if (s.users().getUserById(r, userId(realmId)) != null) {
                    return;
                }
                String username = "api-keys.tag-secret." + KeycloakModelUtils.generateId().substring(0, 8);
                UserModel user = s.users().addUser(r, userId(realmId), username, false, false);
                user.setEnabled(false);
                user.setFirstName("API key tag secret");
                user.setLastName("do not delete");
                user.setSingleAttribute(ATTRIBUTE, Base64.getEncoder().encodeToString(secret));
            });
        } catch (ModelDuplicateException e) {
            LOG.debugf("The key tag secret of realm %s was created concurrently", realmId);
        }
        byte[] created = find(session, realm);
        if (created == null) {
            throw new IllegalStateException("Could not create the key tag secret of realm " + realmId);
        }
        return created;
    }

    private static String userId(String realmId) {
        return UUID.nameUUIDFromBytes(("intellia-api-key-tag-secret:" + realmId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
