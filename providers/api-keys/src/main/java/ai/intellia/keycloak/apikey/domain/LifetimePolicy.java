package ai.intellia.keycloak.apikey.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How long an organization's keys may live (settings {@code maxKeyLifetimeDays} and
 * {@code requireExpiry}, the organization's values already tightened within the realm's): a
 * create or rotate whose {@code expiresAt} breaks it is a 400 {@code lifetime_policy}. A rotated
 * successor keeps its predecessor's expiry, so rotating a key that the policy no longer allows
 * (say it was created before a maximum was set) is refused the same way: the key keeps working
 * until then, and a new key must be created within the policy.
 */
public record LifetimePolicy(Integer maxDays, boolean requireExpiry) {

    public static LifetimePolicy of(ApiKeySettings settings) {
        return new LifetimePolicy(settings.maxKeyLifetimeDays(), settings.requireExpiry() || settings.maxKeyLifetimeDays() != null);
    }

    /** The latest expiry allowed for a key created or rotated at {@code now}, or null for no bound. */
    public Instant latestExpiry(Instant now) {
        return maxDays == null ? null : now.plus(Duration.ofDays(maxDays));
    }

    /** 400 {@code lifetime_policy} naming the limit when a key expiring at {@code expiresAt} (null: never) breaks it. */
    public void check(Instant expiresAt, Instant now) {
        if (expiresAt == null && requireExpiry) {
            throw new ApiError(ErrorCode.LIFETIME_POLICY, maxDays == null
                    ? "Keys of this organization require an expiry: set expiresAt."
                    : "Keys of this organization require an expiry of at most " + maxDays + " days: set expiresAt on or before "
                    + latestExpiry(now) + ".");
        }
        Instant latest = latestExpiry(now);
        if (expiresAt != null && latest != null && expiresAt.isAfter(latest)) {
            throw new ApiError(ErrorCode.LIFETIME_POLICY, "Keys of this organization may live at most " + maxDays
                    + " days: expiresAt must be on or before " + latest + ".");
        }
    }
}
