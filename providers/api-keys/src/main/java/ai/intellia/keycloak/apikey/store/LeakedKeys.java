package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.LeakReport;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;

import java.time.Instant;

/**
 * What a verified leak report does to each reported token: a genuine key of this realm is a true
 * positive (live, or already revoked, rotated away or expired: still recognised by its
 * tombstone); a live one is revoked like a DELETE (tombstone, cascade to what it minted) with a
 * {@code revoke} event. A key already gone is left alone, so repeating a report records nothing.
 */
public final class LeakedKeys {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ApiKeyService keys;

    public LeakedKeys(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.keys = session.getProvider(ApiKeyService.class);
    }

    /** Whether the entry's token is a genuine key of this realm (revoking it first when it still works). */
    public boolean report(LeakReport.Entry entry) {
        // not a use of the key: checked without an event or a count (KeyVerifier is for requests presenting a key)
        Verification verification = keys.verify(realm, entry.token());
        ApiKeyRecord record = verification instanceof Verification.Verified verified ? verified.key()
                : ((Verification.Refused) verification).knownKey();
        if (record == null) {
            return false;
        }
        if (record.worksAt(Instant.now())) { // also a key of a disabled organization: it would work again once enabled
            OrganizationModel organization = session.getProvider(OrganizationProvider.class).getById(record.organizationId());
            if (organization != null) {
                revoke(organization, record, entry.url());
            }
        }
        return true;
    }

    private void revoke(OrganizationModel organization, ApiKeyRecord record, String url) {
        try {
            keys.revoke(realm, organization, record.id(), KeyActor.leakReport(url));
        } catch (ApiError e) {
            if (e.status() != 404) {
                throw e;
            }
            // revoked meanwhile (the same report twice at once): one revocation, one event
        }
    }
}
