package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

class SettingsUpdateTest {

    private static final String P = ApiKeySettings.ATTRIBUTE_PREFIX;

    @Test
    void partialUpdateBecomesRealmAttributes() {
        Map<String, String> attributes = SettingsUpdate.parse(
                "{\"resources\": [\"agents\", \"billing\"], \"assumeRoleLifetimeSeconds\": 600, \"ownersGroup\": \" Owners2 \"}");
        assertThat(attributes).containsExactly(
                Map.entry(P + "resources", "agents,billing"),
                Map.entry(P + "assume-role-lifetime", "600"),
                Map.entry(P + "owners-group", "Owners2"));
    }

    @Test
    void nullResetsToTheDefault() {
        Map<String, String> attributes = SettingsUpdate.parse("{\"audiences\": null}");
        assertThat(attributes).containsEntry(P + "audiences", null);
    }

    @Test
    void renderedSettingsParseBackToTheSameSettings() {
        ApiKeySettings custom = new ApiKeySettings(java.util.List.of("a", "b_c"), "O", "A", "D", 900, "widget", "talk",
                java.util.List.of("rs-1", "rs-2"), 25, 30, true, "{}", RateLimits.fromText("{\"exchange\": \"5/s\"}", "x"));
        Map<String, String> attributes = SettingsUpdate.parse(SettingsUpdate.toJson(custom).toString());
        assertThat(ApiKeySettings.fromRealmAttributes(attributes, ApiKeySettings.DEFAULTS)).isEqualTo(custom);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"resources\": []}", "{\"resources\": [\"Agents\"]}", "{\"resources\": [\"a\", \"a\"]}",
            "{\"resources\": \"agents\"}", "{\"assumeRoleLifetimeSeconds\": 59}", "{\"assumeRoleLifetimeSeconds\": 86401}",
            "{\"assumeRoleLifetimeSeconds\": 600.5}", "{\"ownersGroup\": \"\"}", "{\"ownersGroup\": \"a/b\"}",
            "{\"adminsGroup\": 3}", "{\"audiences\": [\"has space\"]}", "{\"colour\": \"blue\"}", "[]"})
    void invalidUpdatesAreRefusedWhole(String body) {
        assertBadRequest(() -> SettingsUpdate.parse(body));
    }

    @Test
    void consoleFormIsTheSameUpdate() {
        Map<String, String> form = new HashMap<>();
        form.put("resources", "agents, billing");
        form.put("assumeRoleLifetimeSeconds", "900");
        form.put("ownersGroup", "");
        form.put("somethingTheConsoleAdds", "x");
        assertThat(SettingsUpdate.fromForm(form)).containsEntry(P + "resources", "agents,billing")
                .containsEntry(P + "assume-role-lifetime", "900")
                .containsEntry(P + "owners-group", null)
                .hasSize(3);
        assertBadRequest(() -> SettingsUpdate.fromForm(Map.of("assumeRoleLifetimeSeconds", "soon")));
    }

    @Test
    void formShowsListsCommaSeparated() {
        assertThat(SettingsUpdate.toForm(ApiKeySettings.DEFAULTS)).containsEntry("audiences", "intellia-api")
                .containsEntry("assumeRoleLifetimeSeconds", "7200");
    }

    @Test
    void lifetimePolicyFieldsAreTypedStrictly() {
        assertThat(SettingsUpdate.parse("{\"maxKeyLifetimeDays\": 90, \"requireExpiry\": true}"))
                .containsExactly(Map.entry(P + "max-key-lifetime-days", "90"), Map.entry(P + "require-expiry", "true"));
        assertBadRequest(() -> SettingsUpdate.parse("{\"maxKeyLifetimeDays\": \"90\"}"));
        assertBadRequest(() -> SettingsUpdate.parse("{\"requireExpiry\": \"true\"}"));
        assertBadRequest(() -> SettingsUpdate.parse("{\"leakReportPublicKeys\": \"{}\"}"));
        assertBadRequest(() -> SettingsUpdate.parse("{\"leakReportPublicKeys\": {\"k\": \"not a key\"}}"));
    }

    @Test
    void theConsoleFormCarriesThePolicyAndThePublicKeys() {
        Map<String, String> form = new HashMap<>();
        form.put("maxKeyLifetimeDays", "");
        form.put("requireExpiry", "true");
        form.put("leakReportPublicKeys", "{}");
        assertThat(SettingsUpdate.fromForm(form)).containsEntry(P + "max-key-lifetime-days", null)
                .containsEntry(P + "require-expiry", "true").containsEntry(P + "leak-report-public-keys", "{}");
        form.put("requireExpiry", "maybe");
        assertBadRequest(() -> SettingsUpdate.fromForm(form));
        assertThat(SettingsUpdate.toForm(ApiKeySettings.DEFAULTS)).containsEntry("maxKeyLifetimeDays", "")
                .containsEntry("requireExpiry", "false").containsEntry("leakReportPublicKeys", "{}");
    }
}
