package ai.intellia.keycloak.apikey.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One rate limit, {@code "N/s"}, {@code "N/min"} or {@code "N/h"} with 1 ≤ N ≤ 1,000,000. */
public record RateLimit(int count, long periodSeconds) {

    public static final int MAX_COUNT = 1_000_000;
    private static final Pattern TEXT = Pattern.compile("(\\d{1,7})/(s|min|h)");

    /** The limit, or null when {@code text} is not one. */
    public static RateLimit parseOrNull(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text.strip());
        if (m == null || !m.matches()) {
            return null;
        }
        int count = Integer.parseInt(m.group(1));
        if (count < 1 || count > MAX_COUNT) {
            return null;
        }
        long period = switch (m.group(2)) {
            case "s" -> 1;
            case "min" -> 60;
            default -> 3600;
        };
        return new RateLimit(count, period);
    }

    public String text() {
        return count + "/" + (periodSeconds == 1 ? "s" : periodSeconds == 60 ? "min" : "h");
    }
}
