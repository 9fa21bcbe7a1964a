package ai.intellia.keycloak.bench.jmh;

import ai.intellia.keycloak.apikey.domain.AllowedCidrs;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.KeyGuards;
import ai.intellia.keycloak.apikey.domain.RateLimit;
import ai.intellia.keycloak.apikey.domain.RateLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The pure part of what a guarded key adds to an introspection (the load benchmark's AKG against
 * AKI): the {@code client_ip} checked against a two-block allow-list, and one rate-limit counter.
 * The same key guards as the load benchmark's fixture: 127.0.0.0/8 and 2001:db8::/32, introspect
 * 1000000/s (never reached).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GuardRailsBenchmark {

    private KeyGuards guards;
    private RateLimit limit;
    private String keyId;
    private final FixedWindowLimiter limiter = new FixedWindowLimiter(100_000, System::currentTimeMillis);

    @Setup
    public void setUp() throws Exception {
        guards = KeyGuards.from(new ObjectMapper().readTree(
                "{\"allowedCidrs\":[\"127.0.0.0/8\",\"2001:db8::/32\"],\"rateLimits\":{\"introspect\":\"1000000/s\"}}"));
        limit = guards.rateLimits().of(RateLimits.Operation.INTROSPECT);
        keyId = UUID.randomUUID().toString();
    }

    /** As introspection does: client_ip parsed once, then matched against the allow-list. */
    private boolean allowed(String clientIp) {
        byte[] address = AllowedCidrs.addressBytes(clientIp);
        return address != null && guards.allowsAddress(address);
    }

    /** client_ip parsed and matched against the allow-list. */
    @Benchmark
    public boolean allowListIpv4() {
        return allowed("127.0.0.1");
    }

    /** The same for an IPv6 client (the second block). */
    @Benchmark
    public boolean allowListIpv6() {
        return allowed("2001:db8::7");
    }

    /** As ApiKeyService counts: one window per (key, operation). */
    private record LimitedCall(String keyId, RateLimits.Operation operation) {
    }

    /** One request counted against the key's introspect limit. */
    @Benchmark
    public FixedWindowLimiter.Decision rateLimit() {
        return limiter.acquire(new LimitedCall(keyId, RateLimits.Operation.INTROSPECT), limit);
    }
}
