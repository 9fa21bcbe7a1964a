package ai.intellia.keycloak.apikey.store;

/**
 * Who changes a key, for the lifecycle event ({@code api_key_operation}) that {@link ApiKeyService}
 * records with every create, rotate and revoke: a user (an organization's Owner or Admin, or a
 * realm admin), or a leak report (no user acted: the event is the key's principal's, with
 * {@code reason=leak_report} and the report's {@code url}).
 *
 * @param userId null for a leak report
 */
public record KeyActor(String userId, String leakReportUrl) {

    public static KeyActor user(String userId) {
        return new KeyActor(userId, null);
    }

    public static KeyActor leakReport(String url) {
        return new KeyActor(null, url);
    }

    boolean isLeakReport() {
        return userId == null;
    }

    @Override
    public String toString() {
        return isLeakReport() ? "KeyActor[leak report]" : "KeyActor[" + userId + "]";
    }
}
