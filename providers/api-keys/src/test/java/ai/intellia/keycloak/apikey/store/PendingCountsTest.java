package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.UsageDays;
import ai.intellia.keycloak.apikey.store.PendingUses.Ledger;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PendingCountsTest {

    private static final long TODAY = 20_424;
    private static final Ledger ORG = new Ledger("realm", "org");

    @Test
    void countsAddUpPerKeyAndDay() {
        PendingCounts counts = new PendingCounts(10);
        counts.add("realm", "org", "k1", TODAY, 1, 0);
        counts.add("realm", "org", "k1", TODAY, 1, 0);
        counts.add("realm", "org", "k1", TODAY, 0, 1);
        counts.add("realm", "org", "k1", TODAY - 1, 1, 0);
        counts.add("realm", "org", "k2", TODAY, -1, 1);
        assertThat(counts.of("realm", "org")).isEqualTo(Map.of(
                "k1", UsageDays.of(TODAY, 2, 1).plus(UsageDays.of(TODAY - 1, 1, 0)),
                "k2", UsageDays.of(TODAY, -1, 1)));
        assertThat(counts.of("realm", "other")).isEmpty();
    }

    @Test
    void aDrainTakesEachCountOnceAndForgetsPastDays() {
        PendingCounts counts = new PendingCounts(10);
        counts.add("realm", "org", "k1", TODAY, 3, 0);
        counts.add("realm", "org", "k1", TODAY - 1, 2, 1);
        assertThat(counts.drain(TODAY)).isEqualTo(Map.of(ORG, Map.of("k1", UsageDays.of(TODAY, 3, 0).plus(UsageDays.of(TODAY - 1, 2, 1)))));
        assertThat(counts.size()).isEqualTo(1); // today's entry stays, at zero
        assertThat(counts.drain(TODAY)).isEmpty();
        counts.add("realm", "org", "k1", TODAY, 1, 0);
        assertThat(counts.drain(TODAY)).isEqualTo(Map.of(ORG, Map.of("k1", UsageDays.of(TODAY, 1, 0))));
    }

    @Test
    void restoredCountsAreAddedToNewOnes() {
        PendingCounts counts = new PendingCounts(10);
        counts.add("realm", "org", "k1", TODAY, 2, 0);
        Map<String, UsageDays> failed = counts.drain(TODAY).get(ORG);
        counts.add("realm", "org", "k1", TODAY, 1, 1);
        counts.restore(ORG, failed);
        assertThat(counts.of("realm", "org")).isEqualTo(Map.of("k1", UsageDays.of(TODAY, 3, 1)));
    }

    @Test
    void pastTheCapacityNewKeysAreDroppedButKnownOnesCount() {
        PendingCounts counts = new PendingCounts(1);
        assertThat(counts.add("realm", "org", "k1", TODAY, 1, 0)).isTrue();
        assertThat(counts.add("realm", "org", "k2", TODAY, 1, 0)).isFalse();
        assertThat(counts.add("realm", "org", "k1", TODAY, 1, 0)).isTrue();
        assertThat(counts.of("realm", "org")).isEqualTo(Map.of("k1", UsageDays.of(TODAY, 2, 0)));
    }

    @Test
    void drainsDuringConcurrentCountingLoseAndDuplicateNothing() throws Exception {
        PendingCounts counts = new PendingCounts(100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int perThread = 50_000;
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    counts.add("realm", "org", "k" + (i % 3), TODAY, 1, 0);
                }
            });
        }
        AtomicLong drained = new AtomicLong();
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
            counts.drain(TODAY).values().forEach(m -> m.values().forEach(d -> drained.addAndGet(d.used())));
        }
        counts.drain(TODAY).values().forEach(m -> m.values().forEach(d -> drained.addAndGet(d.used())));
        assertThat(drained.get()).isEqualTo(4L * perThread);
    }
}
