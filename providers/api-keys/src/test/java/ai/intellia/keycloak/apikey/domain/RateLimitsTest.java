package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTest {

    private static JsonNode json(String text) throws Exception {
        return StrictJson.mapper().readTree(text);
    }

    @ParameterizedTest
    @CsvSource({"1/s, 1, 1", "60/min, 60, 60", "1000000/h, 1000000, 3600"})
    void parsesTheThreeUnits(String text, int count, long period) {
        assertThat(RateLimit.parseOrNull(text)).isEqualTo(new RateLimit(count, period));
        assertThat(RateLimit.parseOrNull(text).text()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/s", "1000001/h", "10/m", "10/sec", "10 / s", "-1/s", "ten/s", "10", "/s", "10/S"})
    void refusesOtherText(String text) {
        assertThat(RateLimit.parseOrNull(text)).isNull();
    }

    @Test
    void parsesAnObjectWithOptionalOperations() throws Exception {
        RateLimits limits = RateLimits.parse(json("{\"exchange\": \"5/min\", \"introspect\": null}"), "rateLimits");
        assertThat(limits).isEqualTo(new RateLimits(null, new RateLimit(5, 60), null));
        assertThat(limits.toJson().toString()).isEqualTo("{\"exchange\":\"5/min\"}");
        assertThat(RateLimits.parse(json("null"), "rateLimits")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"5/min\"", "{\"login\": \"5/min\"}", "{\"exchange\": 5}", "{\"exchange\": \"0/s\"}"})
    void refusesBadObjects(String text) {
        assertThatThrownBy(() -> RateLimits.parse(json(text), "rateLimits")).isInstanceOf(ApiError.class)
                .hasMessageStartingWith("rateLimits must be");
    }

    @Test
    void aKeysOwnLimitWinsOverTheOrganizationDefault() {
        RateLimits own = new RateLimits(null, new RateLimit(5, 60), null);
        RateLimits org = new RateLimits(new RateLimit(1, 1), new RateLimit(100, 1), null);
        assertThat(RateLimits.effective(own, org, RateLimits.Operation.EXCHANGE)).isEqualTo(new RateLimit(5, 60));
        assertThat(RateLimits.effective(own, org, RateLimits.Operation.ASSUME_ROLE)).isEqualTo(new RateLimit(1, 1));
        assertThat(RateLimits.effective(null, null, RateLimits.Operation.INTROSPECT)).isNull();
    }

    @Test
    void theOrganizationDefaultSettingIsReadFromAttributesAndIgnoredWhenInvalid() {
        ApiKeySettings realm = ApiKeySettings.fromRealmAttributes(
                java.util.Map.of("intellia.api-keys.default-rate-limits", "{\"exchange\": \"10/s\"}"), ApiKeySettings.DEFAULTS);
        assertThat(realm.defaultRateLimits()).isEqualTo(new RateLimits(null, new RateLimit(10, 1), null));
        ApiKeySettings org = ApiKeySettings.fromOrganizationAttributes(
                name -> name.equals("intellia.api-keys.default-rate-limits") ? "{\"introspect\": \"5/min\"}" : null, realm);
        assertThat(org.defaultRateLimits()).isEqualTo(new RateLimits(null, null, new RateLimit(5, 60)));
        ApiKeySettings broken = ApiKeySettings.fromOrganizationAttributes(
                name -> name.equals("intellia.api-keys.default-rate-limits") ? "{\"exchange\": \"5/day\"}" : null, realm);
        assertThat(broken.defaultRateLimits()).isEqualTo(realm.defaultRateLimits());
        assertThat(ApiKeySettings.DEFAULTS.defaultRateLimits()).isNull();
    }

    @Test
    void theSettingsDocumentRefusesAnInvalidDefaultAndStoresCanonicalText() {
        assertThat(SettingsUpdate.parse("{\"defaultRateLimits\": {\"exchange\": \"7/min\"}}"))
                .containsEntry("intellia.api-keys.default-rate-limits", "{\"exchange\":\"7/min\"}");
        assertThatThrownBy(() -> SettingsUpdate.parse("{\"defaultRateLimits\": {\"exchange\": \"7/day\"}}"))
                .isInstanceOf(ApiError.class).hasMessageStartingWith("defaultRateLimits must be");
        assertThatThrownBy(() -> SettingsUpdate.parse("{\"defaultRateLimits\": \"7/min\"}")).isInstanceOf(ApiError.class);
        assertThat(SettingsUpdate.fromForm(java.util.Map.of("defaultRateLimits", "{\"assumeRole\": \"1/s\"}")))
                .containsEntry("intellia.api-keys.default-rate-limits", "{\"assumeRole\":\"1/s\"}");
    }
}
