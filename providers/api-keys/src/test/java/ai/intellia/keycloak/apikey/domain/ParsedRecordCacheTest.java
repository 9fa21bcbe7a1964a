package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParsedRecordCacheTest {

    private static final Instant CREATED = Instant.parse("2026-11-28T10:00:00Z");

    private static String stored(String id, String description, Instant expiresAt) {
        return ApiKeyRecord.issued(id, "org-1", "ik_0123456789abc", CREATED, "user-1").withDescription(description)
                .withPermissions(Permissions.of(Map.of("agents", new Access(true, false)))).withExpiresAt(expiresAt).toStoredJson();
    }

    private static final String SECRET = "{\"sha256\":\"ab12\"}";

    /** The record the cache answers for a credential with {@link #SECRET}. */
    private static ApiKeyRecord get(ParsedRecordCache cache, String id, String credentialData) {
        StoredKey key = cache.get(id, credentialData, SECRET);
        return key == null ? null : key.record();
    }

    @Test
    void theSecretIsPartOfTheEntry() {
        ParsedRecordCache cache = new ParsedRecordCache(100);
        String data = stored("key-1");
        StoredKey first = cache.get("key-1", data, SECRET);
        assertThat(first.secretHash()).isEqualTo("ab12");
        assertThat(cache.get("key-1", data, new String(SECRET))).isSameAs(first);
        assertThat(cache.get("key-1", data, "{\"sha256\":\"cd34\"}").secretHash()).isEqualTo("cd34");
        assertThat(cache.get("key-1", data, null).secretHash()).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    private static String stored(String id) {
        return stored(id, "key " + id, null);
    }

    @Test
    void aHitReturnsTheSameInstanceAsTheParse() {
        ParsedRecordCache cache = new ParsedRecordCache(100);
        String data = stored("key-1");
        ApiKeyRecord first = get(cache, "key-1", data);
        assertThat(first).isEqualTo(ApiKeyRecord.fromStoredJson("key-1", data));
        assertThat(get(cache, "key-1", data)).isSameAs(first);
        // Equal data in another String instance (Keycloak reloaded the credential) is still a hit.
        assertThat(get(cache, "key-1", new String(data))).isSameAs(first);
    }

    @Test
    void changedDataIsParsedAgain() {
        ParsedRecordCache cache = new ParsedRecordCache(100);
        String before = stored("key-1", "old", null);
        String after = stored("key-1", "new", Instant.parse("2030-01-01T00:00:00Z"));
        ApiKeyRecord old = get(cache, "key-1", before);
        ApiKeyRecord updated = get(cache, "key-1", after);
        assertThat(updated).isNotSameAs(old).isEqualTo(ApiKeyRecord.fromStoredJson("key-1", after));
        assertThat(updated.description()).isEqualTo("new");
        assertThat(updated.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(get(cache, "key-1", after)).isSameAs(updated);
        assertThat(get(cache, "key-1", before)).isNotSameAs(old).isEqualTo(old);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void theIdIsPartOfTheKey() {
        ParsedRecordCache cache = new ParsedRecordCache(100);
        String data = stored("key-1");
        assertThat(get(cache, "key-1", data).id()).isEqualTo("key-1");
        assertThat(get(cache, "key-2", data).id()).isEqualTo("key-2");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "not json", "{}", "[]", "null", "{\"organizationId\":\"o\"}", "{\"organizationId\":\"o\",\"createdAt\":\"yesterday\"}"})
    void unparseableDataIsNullAndNotCached(String data) {
        ParsedRecordCache cache = new ParsedRecordCache(100);
        assertThat(get(cache, "key-1", data)).isNull();
        assertThat(get(cache, "key-1", data)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void nullsAreAnsweredLikeTheParseAndNotCached() {
        ParsedRecordCache cache = new ParsedRecordCache(100);
        assertThat(get(cache, "key-1", null)).isNull();
        assertThat(get(cache, null, stored("key-1"))).isEqualTo(ApiKeyRecord.fromStoredJson(null, stored("key-1")));
        assertThat(cache.size()).isZero();
    }

    @Test
    void theCapacityIsNeverExceededAndTheNewestEntryIsKept() {
        ParsedRecordCache cache = new ParsedRecordCache(3);
        for (int i = 0; i < 20; i++) {
            String data = stored("key-" + i);
            ApiKeyRecord record = get(cache, "key-" + i, data);
            assertThat(cache.size()).isBetween(1, 3);
            assertThat(get(cache, "key-" + i, data)).isSameAs(record);
        }
    }

    @Test
    void updatingAnEntryOfAFullCacheDoesNotEmptyIt() {
        ParsedRecordCache cache = new ParsedRecordCache(2);
        ApiKeyRecord first = get(cache, "key-1", stored("key-1"));
        get(cache, "key-2", stored("key-2"));
        get(cache, "key-2", stored("key-2", "changed", null));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(get(cache, "key-1", stored("key-1"))).isSameAs(first);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new ParsedRecordCache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentUseAlwaysAnswersWhatTheParseWould() throws Exception {
        // Few ids, two versions of each and a small capacity: hits, updates and clears all race.
        int ids = 20;
        List<String[]> versions = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            versions.add(new String[] {stored("key-" + i, "a", null), stored("key-" + i, "b", CREATED.plusSeconds(i))});
        }
        ParsedRecordCache cache = new ParsedRecordCache(8);
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Callable<Integer> worker = () -> {
                start.await();
                int checked = 0;
                for (int n = 0; n < 20_000; n++) {
                    int i = Math.floorMod(n * 7 + seed * 13, ids);
                    String data = versions.get(i)[(n / 3 + seed) % 2];
                    ApiKeyRecord record = get(cache, "key-" + i, data);
                    if (record == null || !record.id().equals("key-" + i) || !record.toStoredJson().equals(data)) {
                        throw new AssertionError("key-" + i + " answered " + record + " for " + data);
                    }
                    checked++;
                }
                return checked;
            };
            results.add(pool.submit(worker));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (Future<Integer> result : results) {
            assertThat(result.get()).isEqualTo(20_000);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(8 + threads);
    }
}
