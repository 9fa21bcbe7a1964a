package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.store.PendingUses.Ledger;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class PendingUsesTest {

    private final PendingUses pending = new PendingUses(1_000);

    @Test
    void notedUsesAreVisiblePerOrganizationUntilDrained() {
        pending.note("realm", "org-1", "key-a", 100);
        pending.note("realm", "org-2", "key-b", 200);
        assertThat(pending.of("realm", "org-1")).containsExactly(Map.entry("key-a", 100L));
        assertThat(pending.of("other-realm", "org-1")).isEmpty();

        Map<Ledger, Map<String, Long>> batch = pending.drain();

        assertThat(batch).containsOnly(
                Map.entry(new Ledger("realm", "org-1"), Map.of("key-a", 100L)),
                Map.entry(new Ledger("realm", "org-2"), Map.of("key-b", 200L)));
        assertThat(pending.of("realm", "org-1")).isEmpty();
        assertThat(pending.size()).isZero();
        assertThat(pending.drain()).isEmpty();
    }

    @Test
    void aKeyUsedManyTimesIsOneEntryWithItsLatestUse() {
        pending.note("realm", "org", "key", 100);
        pending.note("realm", "org", "key", 105);
        pending.note("realm", "org", "key", 103); // a slower request finishing late
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.drain()).containsExactly(Map.entry(new Ledger("realm", "org"), Map.of("key", 105L)));
    }

    @Test
    void pastCapacityNewKeysAreDroppedButKnownKeysStillUpdate() {
        PendingUses small = new PendingUses(2);
        assertThat(small.note("r", "o", "a", 1)).isTrue();
        assertThat(small.note("r", "o", "b", 1)).isTrue();
        assertThat(small.note("r", "o", "c", 1)).isFalse();
        assertThat(small.note("r", "o", "a", 9)).isTrue();
        assertThat(small.drain().get(new Ledger("r", "o"))).containsOnly(Map.entry("a", 9L), Map.entry("b", 1L));
        assertThat(small.note("r", "o", "c", 2)).as("room again after a flush").isTrue();
    }

    @Test
    void restoredUsesAreDrainedAgainWithoutLosingNewerOnes() {
        pending.note("realm", "org", "key", 100);
        Map<String, Long> failed = pending.drain().get(new Ledger("realm", "org"));
        pending.note("realm", "org", "key", 150);

        pending.restore(new Ledger("realm", "org"), failed);

        assertThat(pending.drain()).containsExactly(Map.entry(new Ledger("realm", "org"), Map.of("key", 150L)));
    }

    @Test
    void usesNotedWhileDrainingAreNeverLost() throws Exception {
        int threads = 4;
        int keys = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(threads);
        Map<String, Long> lastNoted = new java.util.concurrent.ConcurrentHashMap<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                started.countDown();
                long second = 0;
                while (!stop.get()) {
                    second++;
                    for (int k = thread; k < keys; k += threads) {
                        String key = "key-" + k;
                        pending.note("realm", "org", key, second);
                        lastNoted.put(key, second);
                    }
                }
            });
        }
        started.await();
        Map<String, Long> written = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            pending.drain().values().forEach(uses -> uses.forEach((k, v) -> written.merge(k, v, Math::max)));
        }
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        pending.drain().values().forEach(uses -> uses.forEach((k, v) -> written.merge(k, v, Math::max)));

        assertThat(written).isEqualTo(lastNoted);
        assertThat(pending.size()).isZero();
    }
}
