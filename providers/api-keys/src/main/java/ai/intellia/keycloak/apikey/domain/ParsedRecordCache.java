package ai.intellia.keycloak.apikey.domain;

import java.util.Objects;

/**
 * {@link StoredKey#parse} remembered per credential, so that verifying a key does not run three
 * Jackson parses and three {@code Instant.parse} on every request: Keycloak hands us the same
 * {@code credentialData} and {@code secretData} strings from its own cache each time.
 *
 * <p>Keyed by credential id; an entry is used only while the credential's data (both strings)
 * is equal to what was parsed, so an updated credential (rotation, new expiry) is parsed again.
 * Since the result is immutable and the parse a pure function of (id, data), a hit is
 * indistinguishable from a parse. Unparseable data is not remembered (it never verifies, and
 * must not fill the cache).
 *
 * <p>Bounded without bookkeeping on the hit path: when a miss finds the cache full, the cache is
 * emptied and refills from live traffic at the cost of one parse per key. Concurrent misses may
 * overshoot the capacity by at most one entry per thread. Memory: about 750 bytes per entry for a
 * typical record (measured), plus the data strings (~500 bytes) once Keycloak has let go of them;
 * the owner ({@code ApiKeyServiceFactory}) chooses the capacity with that in mind.
 */
public final class ParsedRecordCache {

    private record Entry(String credentialData, String secretData, StoredKey key) {
    }

    private final BoundedMemo<String, Entry> entries;

    public ParsedRecordCache(int capacity) {
        this.entries = new BoundedMemo<>(capacity);
    }

    /** The stored key of a credential, as {@link StoredKey#parse} would return it. */
    public StoredKey get(String id, String credentialData, String secretData) {
        if (id == null || credentialData == null) {
            return StoredKey.parse(id, credentialData, secretData); // not cacheable: the map takes no nulls
        }
        Entry entry = entries.get(id);
        if (entry != null && entry.credentialData().equals(credentialData) && Objects.equals(entry.secretData(), secretData)) {
            return entry.key();
        }
        StoredKey key = StoredKey.parse(id, credentialData, secretData);
        if (key != null) {
            entries.put(id, new Entry(credentialData, secretData, key));
        }
        return key;
    }

    int size() {
        return entries.size();
    }
}
