package ai.intellia.keycloak.apikey.domain;

/**
 * The label of a key's credential, as the admin console lists it: description and prefix.
 * Keycloak stores it in a 255-character column (a longer one fails the whole transaction) and
 * refuses two equal labels on one user, so the description is shortened to fit (by code points,
 * never splitting a character) and the prefix, unique per key, is always kept whole.
 */
public final class CredentialLabel {

    public static final int MAX_LENGTH = 255;
    private static final String ELLIPSIS = "…";
    private static final String REVOKED = "[revoked] ";

    private CredentialLabel() {
    }

    public static String of(String description, String prefix) {
        return fit("", description, " (" + prefix + ")");
    }

    /** A tombstone's label, so that the admin console tells it from a live key. */
    public static String revoked(String description, String prefix) {
        return fit(REVOKED, description, " (" + prefix + ")");
    }

    private static String fit(String head, String description, String tail) {
        int room = MAX_LENGTH - head.length() - tail.length();
        String text = description == null ? "" : description;
        if (text.length() > room) {
            int end = 0;
            int limit = room - ELLIPSIS.length();
            while (end < text.length()) {
                int next = text.offsetByCodePoints(end, 1);
                if (next > limit) {
                    break;
                }
                end = next;
            }
            text = text.substring(0, end) + ELLIPSIS;
        }
        return head + text + tail;
    }
}
