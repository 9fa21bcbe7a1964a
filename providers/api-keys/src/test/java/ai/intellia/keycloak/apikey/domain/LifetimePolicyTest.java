package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifetimePolicyTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void noPolicyAllowsKeysThatNeverExpire() {
        assertThatCode(() -> new LifetimePolicy(null, false).check(null, clock.instant())).doesNotThrowAnyException();
    }

    @Test
    void requireExpiryRefusesAKeyWithoutOneNamingTheRule() {
        assertThatThrownBy(() -> new LifetimePolicy(null, true).check(null, clock.instant()))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("lifetime_policy");
                    assertThat(e.description()).contains("require an expiry");
                });
    }

    @Test
    void aMaximumAllowsExactlyThatManyDaysAndNotOneSecondMore() {
        LifetimePolicy policy = LifetimePolicy.of(withPolicy(90, false));
        Instant limit = clock.instant().plus(Duration.ofDays(90));
        assertThatCode(() -> policy.check(limit, clock.instant())).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check(limit.plusSeconds(1), clock.instant()))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.error()).isEqualTo("lifetime_policy");
                    assertThat(e.description()).isEqualTo("Keys of this organization may live at most 90 days:"
                            + " expiresAt must be on or before 2027-03-02T06:00:00Z.");
                });
    }

    @Test
    void aMaximumImpliesAnExpiry() {
        LifetimePolicy policy = LifetimePolicy.of(withPolicy(30, false));
        assertThat(policy.requireExpiry()).isTrue();
        assertThatThrownBy(() -> policy.check(null, clock.instant()))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.description()).contains("at most 30 days"));
    }

    @Test
    void theBoundMovesWithTheClock() {
        LifetimePolicy policy = new LifetimePolicy(1, true);
        Instant expiry = clock.instant().plus(Duration.ofHours(30));
        assertThatThrownBy(() -> policy.check(expiry, clock.instant())).isInstanceOf(ApiError.class);
        Clock later = Clock.offset(clock, Duration.ofHours(7));
        assertThatCode(() -> policy.check(expiry, later.instant())).doesNotThrowAnyException();
    }

    @Test
    void anOrganizationMayTightenTheRealmsPolicyButNeverLoosenIt() {
        ApiKeySettings realm = withPolicy(90, false);
        ApiKeySettings tighter = ApiKeySettings.fromOrganizationAttributes(attrs(Map.of(
                "max-key-lifetime-days", "30", "require-expiry", "true")), realm);
        assertThat(tighter.maxKeyLifetimeDays()).isEqualTo(30);
        assertThat(tighter.requireExpiry()).isTrue();

        ApiKeySettings strictRealm = withPolicy(90, true);
        ApiKeySettings looser = ApiKeySettings.fromOrganizationAttributes(attrs(Map.of(
                "max-key-lifetime-days", "365", "require-expiry", "false")), strictRealm);
        assertThat(looser.maxKeyLifetimeDays()).isEqualTo(90);
        assertThat(looser.requireExpiry()).isTrue();
    }

    @Test
    void anOrganizationMaySetAMaximumWhereTheRealmHasNone() {
        ApiKeySettings org = ApiKeySettings.fromOrganizationAttributes(attrs(Map.of("max-key-lifetime-days", "7")), ApiKeySettings.DEFAULTS);
        assertThat(org.maxKeyLifetimeDays()).isEqualTo(7);
    }

    @Test
    void anInvalidOrganizationValueIsIgnored() {
        ApiKeySettings org = ApiKeySettings.fromOrganizationAttributes(attrs(Map.of(
                "max-key-lifetime-days", "0", "require-expiry", "yes")), withPolicy(90, false));
        assertThat(org.maxKeyLifetimeDays()).isEqualTo(90);
        assertThat(org.requireExpiry()).isFalse();
    }

    @Test
    void organizationsCannotSetLeakReportKeys() {
        ApiKeySettings org = ApiKeySettings.fromOrganizationAttributes(attrs(Map.of(
                "leak-report-public-keys", "{\"x\":\"" + LeakReportSignatureTest.pem(LeakReportSignatureTest.p256()) + "\"}")),
                ApiKeySettings.DEFAULTS);
        assertThat(org.leakReportPublicKeys()).isEqualTo("{}");
    }

    private static java.util.function.Function<String, String> attrs(Map<String, String> values) {
        return name -> values.get(name.substring(ApiKeySettings.ATTRIBUTE_PREFIX.length()));
    }

    private static ApiKeySettings withPolicy(Integer days, boolean requireExpiry) {
        ApiKeySettings d = ApiKeySettings.DEFAULTS;
        return new ApiKeySettings(d.resources(), d.ownersGroup(), d.adminsGroup(), d.defaultGroup(), d.assumeRoleLifetimeSeconds(),
                d.assumeRoleClient(), d.assumeRoleRole(), d.audiences(), d.maxKeysPerOrganization(), days, requireExpiry, "{}", null);
    }
}
