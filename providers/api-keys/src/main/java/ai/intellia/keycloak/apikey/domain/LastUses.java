package ai.intellia.keycloak.apikey.domain;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last use of each key of one organization, as one compact string
 * ({@code keyId:epochSecond,keyId:epochSecond,…}): one attribute write per organization per
 * flush, however many of its keys were used.
 */
public final class LastUses {

    private LastUses() {
    }

    /** Entries that are not {@code id:seconds} are skipped: this field is advisory, never fatal. */
    public static Map<String, Long> parse(String text) {
        Map<String, Long> uses = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return uses;
        }
        for (String entry : text.split(",")) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            try {
                long seconds = Long.parseLong(entry.substring(colon + 1));
                uses.merge(entry.substring(0, colon), seconds, Math::max);
            } catch (NumberFormatException ignored) {
                // skipped, see above
            }
        }
        return uses;
    }

    /** Sorted by key id, so the same uses always give the same string. */
    public static String format(Map<String, Long> uses) {
        StringBuilder out = new StringBuilder(uses.size() * 48);
        new TreeMap<>(uses).forEach((id, seconds) -> {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(id).append(':').append(seconds);
        });
        return out.toString();
    }

    /**
     * {@code stored} with {@code seen} merged in (the later time wins), keeping only keys in
     * {@code live}: keys revoked or purged since drop out here, not in a write of their own.
     */
    public static Map<String, Long> merge(Map<String, Long> stored, Map<String, Long> seen, Set<String> live) {
        Map<String, Long> merged = new TreeMap<>();
        stored.forEach((id, seconds) -> {
            if (live.contains(id)) {
                merged.put(id, seconds);
            }
        });
        seen.forEach((id, seconds) -> {
            if (live.contains(id)) {
                merged.merge(id, seconds, Math::max);
            }
        });
        return merged;
    }

    /** The uses of {@code seen} that {@code stored} lacks or has older: what another writer overwrote. */
    public static Map<String, Long> notIn(Map<String, Long> stored, Map<String, Long> seen, Set<String> live) {
        Map<String, Long> missing = new TreeMap<>();
        seen.forEach((id, seconds) -> {
            Long have = stored.get(id);
            if (live.contains(id) && (have == null || have < seconds)) {
                missing.put(id, seconds);
            }
        });
        return missing;
    }
}
