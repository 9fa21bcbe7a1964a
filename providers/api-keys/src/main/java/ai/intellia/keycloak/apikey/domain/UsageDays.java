package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests per UTC day of one key, {@code used} and {@code refused}, for the last {@value #DAYS}
 * days. Counts add up: two nodes' counts, or two flushes' counts, of a day are summed (unlike
 * the last use, where the later time wins). Stored as {@code epochDay:used:refused;…}, at most
 * {@value #DAYS} entries (≈ 22 characters each, so ≤ 700 characters).
 */
public final class UsageDays {

    public static final int DAYS = 30;
    public static final UsageDays NONE = new UsageDays(new TreeMap<>());

    /** epoch day → {used, refused} */
    private final TreeMap<Long, long[]> days;

    private UsageDays(TreeMap<Long, long[]> days) {
        this.days = days;
    }

    /** Today in UTC by this clock: the day a request counts for. */
    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC));
    }

    public static UsageDays of(long epochDay, long used, long refused) {
        TreeMap<Long, long[]> days = new TreeMap<>();
        days.put(epochDay, new long[]{used, refused});
        return new UsageDays(days);
    }

    /** Entries that are not {@code day:used:refused} are skipped: counts are advisory, never fatal. */
    public static UsageDays parse(String text) {
        TreeMap<Long, long[]> days = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        for (String entry : text.split(";")) {
            String[] parts = entry.split(":");
            if (parts.length != 3) {
                continue;
            }
            try {
                long day = Long.parseLong(parts[0]);
                long used = Long.parseLong(parts[1]);
                long refused = Long.parseLong(parts[2]);
                days.merge(day, new long[]{used, refused}, UsageDays::sum);
            } catch (NumberFormatException ignored) {
                // skipped, see above
            }
        }
        return new UsageDays(days);
    }

    /**
     * The newest day of a stored value without parsing all of it (it is the last entry), or
     * {@code Long.MIN_VALUE} when there is none: tells a stale attribute cheaply.
     */
    public static long newestDay(String text) {
        if (text == null || text.isEmpty()) {
            return Long.MIN_VALUE;
        }
        String last = text.substring(text.lastIndexOf(';') + 1);
        int colon = last.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? last : last.substring(0, colon));
        } catch (NumberFormatException e) {
            return parse(text).isEmpty() ? Long.MIN_VALUE : parse(text).days.lastKey();
        }
    }

    /** Oldest day first; the same counts always give the same string. */
    public String format() {
        StringBuilder out = new StringBuilder(days.size() * 22);
        days.forEach((day, counts) -> {
            if (out.length() > 0) {
                out.append(';');
            }
            out.append(day).append(':').append(counts[0]).append(':').append(counts[1]);
        });
        return out.toString();
    }

    /** Both counts summed per day. */
    public UsageDays plus(UsageDays other) {
        if (other.days.isEmpty()) {
            return this;
        }
        TreeMap<Long, long[]> sum = copy();
        other.days.forEach((day, counts) -> sum.merge(day, counts.clone(), UsageDays::sum));
        return new UsageDays(sum);
    }

    /** Only the last {@value #DAYS} days up to {@code today} (later days, from a clock ahead, too). */
    public UsageDays trimmed(LocalDate today) {
        long newest = today.toEpochDay();
        long oldest = newest - DAYS + 1;
        if (days.isEmpty() || (days.firstKey() >= oldest && days.lastKey() <= newest)) {
            return this;
        }
        TreeMap<Long, long[]> kept = new TreeMap<>();
        days.subMap(oldest, true, newest, true).forEach((day, counts) -> kept.put(day, counts.clone()));
        return new UsageDays(kept);
    }

    public interface DayVisitor {
        void day(long epochDay, long used, long refused);
    }

    /** Oldest day first. */
    public void forEachDay(DayVisitor visitor) {
        days.forEach((day, counts) -> visitor.day(day, counts[0], counts[1]));
    }

    public boolean isEmpty() {
        return days.isEmpty();
    }

    public long used() {
        return days.values().stream().mapToLong(c -> c[0]).sum();
    }

    public long refused() {
        return days.values().stream().mapToLong(c -> c[1]).sum();
    }

    /**
     * {@code {"days": [...]}}: exactly {@value #DAYS} entries, today first, days without traffic
     * listed with zeros, so that a chart needs no gap filling.
     */
    public ObjectNode toJson(LocalDate today) {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        ArrayNode list = json.putArray("days");
        for (int back = 0; back < DAYS; back++) {
            LocalDate date = today.minusDays(back);
            long[] counts = days.getOrDefault(date.toEpochDay(), new long[2]);
            // A use moved to the refusals just after midnight leaves the new day at -1 on its own: never shown below 0.
            list.addObject().put("date", date.toString()).put("used", Math.max(0, counts[0])).put("refused", Math.max(0, counts[1]));
        }
        return json;
    }

    private TreeMap<Long, long[]> copy() {
        TreeMap<Long, long[]> out = new TreeMap<>();
        days.forEach((day, counts) -> out.put(day, counts.clone()));
        return out;
    }

    private static long[] sum(long[] a, long[] b) {
        return new long[]{a[0] + b[0], a[1] + b[1]};
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UsageDays other) || other.days.size() != days.size()) {
            return false;
        }
        for (Map.Entry<Long, long[]> e : days.entrySet()) {
            long[] theirs = other.days.get(e.getKey());
            if (theirs == null || theirs[0] != e.getValue()[0] || theirs[1] != e.getValue()[1]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    @Override
    public String toString() {
        return format();
    }
}
