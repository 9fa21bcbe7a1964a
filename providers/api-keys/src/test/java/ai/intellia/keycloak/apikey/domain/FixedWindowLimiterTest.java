package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FixedWindowLimiterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000L * 60_000); // on a minute boundary
    private final FixedWindowLimiter limiter = new FixedWindowLimiter(100, clock::get);
    private final RateLimit threePerMinute = new RateLimit(3, 60);

    @Test
    void allowsNPerWindowThenRefusesUntilTheWindowEnds() {
        clock.addAndGet(20_000);
        assertThat(limiter.acquire("k", threePerMinute)).isEqualTo(new FixedWindowLimiter.Decision(true, 3, 2, 40));
        assertThat(limiter.acquire("k", threePerMinute).remaining()).isEqualTo(1);
        assertThat(limiter.acquire("k", threePerMinute).remaining()).isZero();
        assertThat(limiter.acquire("k", threePerMinute)).isEqualTo(new FixedWindowLimiter.Decision(false, 3, 0, 40));
        clock.addAndGet(39_500);
        assertThat(limiter.acquire("k", threePerMinute)).isEqualTo(new FixedWindowLimiter.Decision(false, 3, 0, 1));
        clock.addAndGet(500);
        assertThat(limiter.acquire("k", threePerMinute)).isEqualTo(new FixedWindowLimiter.Decision(true, 3, 2, 60));
    }

    @Test
    void subjectsAreCountedApart() {
        RateLimit one = new RateLimit(1, 1);
        assertThat(limiter.acquire("a/exchange", one).allowed()).isTrue();
        assertThat(limiter.acquire("a/exchange", one).allowed()).isFalse();
        assertThat(limiter.acquire("a/introspect", one).allowed()).isTrue();
        assertThat(limiter.acquire("b/exchange", one).allowed()).isTrue();
    }

    @Test
    void memoryIsBounded() {
        RateLimit one = new RateLimit(1, 3600);
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("key" + i, one);
        }
        // at most the capacity of counters; a forgotten counter starts afresh (documented trade-off)
        assertThat(limiter.acquire("key999", one).allowed()).isFalse();
    }

    @Test
    void resetIsAtLeastOneSecond() {
        clock.addAndGet(59_999);
        assertThat(limiter.acquire("k", threePerMinute).resetSeconds()).isEqualTo(1);
    }
}
