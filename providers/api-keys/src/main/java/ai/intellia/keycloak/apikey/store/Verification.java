package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import org.keycloak.models.OrganizationModel;

import java.util.Optional;

/**
 * The outcome of checking a presented key (see {@link KeyVerifier}): {@link Verified}, or
 * {@link Refused}. Callers answer every refusal the same way, whatever its reason, so nobody can
 * tell unknown from revoked from expired; the reason and the named key are for events and counts.
 */
public sealed interface Verification permits Verification.Verified, Verification.Refused {

    /** A genuine, unexpired, unrevoked key of an enabled organization, with that organization's settings. */
    record Verified(ApiKeyRecord key, OrganizationModel organization, ApiKeySettings settings) implements Verification {

        public String id() {
            return key.id();
        }

        public String organizationId() {
            return key.organizationId();
        }
    }

    /**
     * A refusal; {@code knownKey} names the key when the secret was genuine (expired, revoked,
     * rotated away, or of a disabled organization), else it is null.
     */
    record Refused(Reason reason, ApiKeyRecord knownKey) implements Verification {

        /** Malformed, made up, unknown, or a wrong secret: nothing to name. */
        static final Refused UNKNOWN = new Refused(Reason.UNKNOWN, null);

        public Optional<ApiKeyRecord> known() {
            return Optional.ofNullable(knownKey);
        }
    }

    enum Reason {
        /** Malformed, made up, unknown id, or a wrong secret. */
        UNKNOWN,
        /** Genuine but no longer working: expired, revoked, or rotated away. */
        NOT_WORKING,
        /** Genuine and working, but its organization is disabled or gone. */
        ORGANIZATION_DISABLED
    }
}
