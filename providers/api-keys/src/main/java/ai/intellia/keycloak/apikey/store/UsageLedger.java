package ai.intellia.keycloak.apikey.store;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Last use of each key, as attributes {@code last-used.<keyId>} (epoch seconds) of the
 * organization's ledger user. Written at most once a minute per key per node, in a transaction
 * of its own so a failed write never fails the request that used the key.
 */
final class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final String ATTRIBUTE_PREFIX = "last-used.";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final KeyHolders holders;

    UsageLedger(KeycloakSession session, RealmModel realm, KeyHolders holders) {
        this.session = session;
        this.realm = realm;
        this.holders = holders;
    }

    void recordUse(String organizationId, String keyId, Instant at) {
        String realmId = realm.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                RealmModel r = s.realms().getRealm(realmId);
                UserModel ledger = s.users().getUserById(r, KeyHolders.ledgerId(organizationId));
                if (ledger != null) {
                    ledger.setSingleAttribute(ATTRIBUTE_PREFIX + keyId, Long.toString(at.getEpochSecond()));
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not record the use of API key %s", keyId);
        }
    }

    Map<String, Instant> lastUses(String organizationId, List<String> keyIds) {
        Map<String, Instant> uses = new HashMap<>();
        UserModel ledger = holders.ledger(organizationId);
        if (ledger == null) {
            return uses;
        }
        for (String keyId : keyIds) {
            String value = ledger.getFirstAttribute(ATTRIBUTE_PREFIX + keyId);
            if (value != null) {
                try {
                    uses.put(keyId, Instant.ofEpochSecond(Long.parseLong(value)));
                } catch (NumberFormatException ignored) {
                    // not ours; shown as never used
                }
            }
        }
        return uses;
    }

    void forget(String organizationId, String keyId) {
        UserModel ledger = holders.ledger(organizationId);
        if (ledger != null && ledger.getFirstAttribute(ATTRIBUTE_PREFIX + keyId) != null) {
            ledger.removeAttribute(ATTRIBUTE_PREFIX + keyId);
        }
    }
}
