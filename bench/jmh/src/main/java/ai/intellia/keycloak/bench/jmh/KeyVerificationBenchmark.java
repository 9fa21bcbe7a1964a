package ai.intellia.keycloak.bench.jmh;

import ai.intellia.keycloak.apikey.domain.Access;
import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import ai.intellia.keycloak.apikey.domain.StoredKey;
import ai.intellia.keycloak.apikey.domain.Permissions;
import ai.intellia.keycloak.apikey.domain.SecretHash;
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

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The pure (no Keycloak) part of verifying a presented key: parsing it (checksum first, then the
 * two ids and the secret), comparing the secret's SHA-256 with the stored hash, and reading the
 * key's record from the credential's stored JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyVerificationBenchmark {

    private String key;
    private String typo;
    private String notAKey;
    private byte[] secret;
    private String storedHash;
    private String recordId;
    private String recordJson;
    private String recordJsonCopy;
    private String secretJson;
    private final ParsedRecordCache records = new ParsedRecordCache(1000);

    @Setup
    public void setUp() {
        ApiKeyToken token = ApiKeyToken.generate(UUID.randomUUID().toString(), UUID.randomUUID().toString(), new SecureRandom());
        key = token.encode();
        char last = key.charAt(key.length() - 1);
        typo = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
        notAKey = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.not-a-key";
        secret = token.secret();
        storedHash = SecretHash.of(secret);
        recordId = token.keyId();
        // A typical stored record: two grants, an expiry, not rotated.
        recordJson = ApiKeyRecord.issued(recordId, UUID.randomUUID().toString(), key.substring(0, ApiKeyToken.DISPLAY_PREFIX_LENGTH),
                        Instant.parse("2026-11-28T10:00:00Z"), UUID.randomUUID().toString())
                .withDescription("Production Integration")
                .withPermissions(Permissions.of(Map.of("agents", new Access(true, false), "assume_role", new Access(false, true))))
                .withExpiresAt(Instant.parse("2030-01-01T00:00:00Z"))
                .toStoredJson();
        secretJson = new StoredKey(ApiKeyRecord.fromStoredJson(recordId, recordJson), storedHash).secretDataJson();
        // Equal content, another instance: what a hit costs after Keycloak reloaded the credential.
        recordJsonCopy = new String(recordJson);
        records.get(recordId, recordJson, secretJson);
    }

    /** A genuine key: checksum, then decoding of the key id, locator and secret. */
    @Benchmark
    public Optional<ApiKeyToken> parseValid() {
        return ApiKeyToken.parse(key);
    }

    /** A mistyped key: refused by the checksum before any lookup. */
    @Benchmark
    public Optional<ApiKeyToken> parseTypo() {
        return ApiKeyToken.parse(typo);
    }

    /** Not a key at all (a JWT): refused by length and prefix. */
    @Benchmark
    public Optional<ApiKeyToken> parseNotAKey() {
        return ApiKeyToken.parse(notAKey);
    }

    /** SHA-256 of the secret, compared in constant time with the stored (Base64) hash. */
    @Benchmark
    public boolean secretMatches() {
        return SecretHash.matches(secret, storedHash);
    }

    /** What verification does without Keycloak: parse, then compare the hash. */
    @Benchmark
    public boolean parseAndMatch() {
        Optional<ApiKeyToken> token = ApiKeyToken.parse(key);
        return token.isPresent() && SecretHash.matches(token.get().secret(), storedHash);
    }

    /** The record behind a credential, parsed from its stored JSON (Jackson tree + Instant.parse). */
    @Benchmark
    public ApiKeyRecord recordParse() {
        return ApiKeyRecord.fromStoredJson(recordId, recordJson);
    }

    /** The same record from ParsedRecordCache: the data string is the one parsed (identity equals). */
    @Benchmark
    public StoredKey recordCacheHit() {
        return records.get(recordId, recordJson, secretJson);
    }

    /** A hit whose data is an equal copy, so equals compares the whole JSON. */
    @Benchmark
    public StoredKey recordCacheHitEqualCopy() {
        return records.get(recordId, recordJsonCopy, secretJson);
    }
}
