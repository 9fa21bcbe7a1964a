package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;

import java.util.Optional;

/**
 * The outcome of checking a presented key: a {@link VerifiedKey}, or a refusal that may still
 * name the key (genuine secret but expired, or of a disabled organization) for the error event.
 * Callers answer every refusal the same way.
 */
public record Verification(VerifiedKey key, ApiKeyRecord refusedKey) {

    static final Verification UNKNOWN = new Verification(null, null);

    public boolean valid() {
        return key != null;
    }

    public Optional<ApiKeyRecord> refused() {
        return Optional.ofNullable(refusedKey);
    }
}
