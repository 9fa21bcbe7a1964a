package ai.intellia.keycloak.apikey.domain;

/**
 * {@link ApiKeyRecord#fromStoredJson} remembered per credential, so that verifying a key does not
 * run a Jackson parse and three {@code Instant.parse} on every request: Keycloak hands us the same
 * {@code credentialData} string from its own cache each time.
 *
 * <p>Keyed by credential id; an entry is used only while the credential's data is equal to what
 * was parsed, so an updated credential (rotation, new expiry) is parsed again. Since the record is
 * immutable and the parse a pure function of (id, data), a hit is indistinguishable from a parse.
 * Unparseable data is not remembered (it never verifies, and must not fill the cache).
 *
 * <p>Bounded without bookkeeping on the hit path: when a miss finds the cache full, the cache is
 * emptied and refills from live traffic at the cost of one parse per key. Concurrent misses may
 * overshoot the capacity by at most one entry per thread. Memory: about 750 bytes per entry for a
 * typical record (measured), plus the data string (~430 bytes) once Keycloak has let go of it;
 * the owner ({@code ApiKeyServiceFactory}) chooses the capacity with that in mind.
 */
public final class ParsedRecordCache {

    private record Entry(String credentialData, ApiKeyRecord record) {
    }

    private final BoundedMemo<String, Entry> entries;

    public ParsedRecordCache(int capacity) {
        this.entries = new BoundedMemo<>(capacity);
    }

    /** The record of a credential, as {@link ApiKeyRecord#fromStoredJson} would return it. */
    public ApiKeyRecord get(String id, String credentialData) {
        if (id == null || credentialData == null) {
            return ApiKeyRecord.fromStoredJson(id, credentialData); // not cacheable: the map takes no nulls
        }
        Entry entry = entries.get(id);
        if (entry != null && entry.credentialData().equals(credentialData)) {
            return entry.record();
        }
        ApiKeyRecord record = ApiKeyRecord.fromStoredJson(id, credentialData);
        if (record != null) {
            entries.put(id, new Entry(credentialData, record));
        }
        return record;
    }

    int size() {
        return entries.size();
    }
}
