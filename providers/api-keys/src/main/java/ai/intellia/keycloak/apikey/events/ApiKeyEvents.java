package ai.intellia.keycloak.apikey.events;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The event details of contract section 4.3. Keycloak's event types are a closed enum, so the
 * specifics ride in details: {@code source=api-key} on every use of a key, and
 * {@code api_key_operation} on every change to one.
 */
public final class ApiKeyEvents {

    public static final String SOURCE = "source";
    public static final String SOURCE_API_KEY = "api-key";
    public static final String API_KEY_ID = "api_key_id";
    public static final String ORGANIZATION_ID = "organization_id";
    public static final String OPERATION = "api_key_operation";
    public static final String ROTATED_FROM = "rotated_from";
    /** Guard rails (contract section 8): the refused caller address, and the {@code reason} values. */
    public static final String IP_ADDRESS = "ip_address";
    public static final String CLIENT_IP = "client_ip";
    public static final String REASON_IP_NOT_ALLOWED = "ip_not_allowed";
    public static final String REASON_RATE_LIMITED = "rate_limited";

    private ApiKeyEvents() {
    }

    /** Tags an event as caused by an API key. */
    public static EventBuilder usedBy(EventBuilder event, String keyId, String organizationId) {
        return event.detail(SOURCE, SOURCE_API_KEY).detail(API_KEY_ID, keyId).detail(ORGANIZATION_ID, organizationId);
    }

    public static void created(KeycloakSession session, RealmModel realm, String actorUserId, ApiKeyRecord key) {
        operation(session, realm, EventType.UPDATE_CREDENTIAL, actorUserId, key, "create").success();
    }

    public static void rotated(KeycloakSession session, RealmModel realm, String actorUserId, ApiKeyRecord successor, String oldId) {
        operation(session, realm, EventType.UPDATE_CREDENTIAL, actorUserId, successor, "rotate").detail(ROTATED_FROM, oldId).success();
    }

    public static void revoked(KeycloakSession session, RealmModel realm, String actorUserId, ApiKeyRecord key) {
        operation(session, realm, EventType.REMOVE_CREDENTIAL, actorUserId, key, "revoke").success();
    }

    /**
     * A key's credential deleted by a realm admin past our API (admin console, Users → Credentials):
     * a revocation like any other, with {@code reason=credential_deleted}.
     */
    public static void deletedAsCredential(KeycloakSession session, RealmModel realm, String actorUserId, String keyId,
                                           String organizationId) {
        new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.REMOVE_CREDENTIAL)
                .user(actorUserId)
                .detail("credential_type", "api-key")
                .detail(API_KEY_ID, keyId)
                .detail(ORGANIZATION_ID, organizationId)
                .detail(OPERATION, "revoke")
                .detail("reason", "credential_deleted")
                .success();
    }

    /**
     * A revocation because a secret scanner reported the key: no user acted, so the event is the
     * key holder's (the user the credential belongs to), with {@code reason=leak_report} and the
     * report's {@code url} (where the key was found; cut to 1,000 characters).
     */
    public static void revokedAfterLeakReport(KeycloakSession session, RealmModel realm, String holderId, ApiKeyRecord key, String url) {
        EventBuilder event = operation(session, realm, EventType.REMOVE_CREDENTIAL, holderId, key, "revoke").detail("reason", "leak_report");
        if (url != null) {
            String printable = url.codePoints().filter(c -> !Character.isISOControl(c)).limit(1000)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            event.detail("url", printable);
        }
        event.success();
    }

    private static EventBuilder operation(KeycloakSession session, RealmModel realm, EventType type, String actorUserId,
                                          ApiKeyRecord key, String operation) {
        return new EventBuilder(realm, session, session.getContext().getConnection())
                .event(type)
                .user(actorUserId)
                .detail("credential_type", "api-key")
                .detail(API_KEY_ID, key.id())
                .detail(ORGANIZATION_ID, key.organizationId())
                .detail(OPERATION, operation);
    }
}
