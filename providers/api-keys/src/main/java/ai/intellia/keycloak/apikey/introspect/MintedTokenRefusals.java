package ai.intellia.keycloak.apikey.introspect;

import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;

import java.util.Optional;

/** Records a cascade refusal the way Keycloak records its own introspection refusals. */
final class MintedTokenRefusals {

    private MintedTokenRefusals() {
    }

    /**
     * @param forget clears the verified token, so that Keycloak's answer carries nothing of it
     *               (its optional {@code jwt} field is built from that token even when inactive)
     */
    static boolean allow(Optional<MintedTokenCheck.Refusal> refusal, EventBuilder event, Runnable forget) {
        if (refusal.isEmpty()) {
            return true;
        }
        MintedTokenCheck.Refusal r = refusal.get();
        if (r.keyId() != null) {
            event.detail(ApiKeyEvents.API_KEY_ID, r.keyId());
        }
        event.detail(ApiKeyEvents.ORGANIZATION_ID, r.organizationId()).detail(Details.REASON, r.reason()).error(Errors.INVALID_TOKEN);
        forget.run();
        return false;
    }
}
