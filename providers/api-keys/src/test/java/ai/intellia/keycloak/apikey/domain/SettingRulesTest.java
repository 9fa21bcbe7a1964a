package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One rule per setting: what a write refuses (400) is exactly what a read ignores. */
class SettingRulesTest {

    private static final String P = ApiKeySettings.ATTRIBUTE_PREFIX;
    private static final ApiKeySettings DEFAULTS = ApiKeySettings.DEFAULTS;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "assume-role-lifetime, 5", "assume-role-lifetime, 59", "assume-role-lifetime, 86401",
            "assume-role-lifetime, 315360000", "assume-role-lifetime, soon", "assume-role-lifetime, -1",
            "max-keys-per-organization, 0", "max-keys-per-organization, 1000001",
            "owners-group, a/b", "assume-role-client, 'a,b'", "resources, Bad Name", "audiences, 'has space'",
            "max-key-lifetime-days, 0", "max-key-lifetime-days, 36501", "require-expiry, yes", "leak-report-public-keys, not json",
            "leak-report-public-keys, '{\"k\":\"-----BEGIN PUBLIC KEY-----x-----END PUBLIC KEY-----\"}'"})
    @DisplayName("given a value that breaks its rule then the PUT refuses it and a realm attribute is ignored")
    void refusedOnWriteIgnoredOnRead(String attribute, String value) {
        Setting setting = java.util.Arrays.stream(Setting.values()).filter(s -> s.attribute().equals(attribute)).findFirst().orElseThrow();
        assertBadRequest(() -> setting.check(value));
        assertThat(ApiKeySettings.fromRealmAttributes(Map.of(P + attribute, value), DEFAULTS)).isEqualTo(DEFAULTS);
        Map<String, String> form = new HashMap<>();
        form.put(setting.field(), value);
        assertBadRequest(() -> SettingsUpdate.fromForm(form));
    }

    @ParameterizedTest(name = "lifetime {0}")
    @CsvSource({"60", "7200", "86400"})
    void lifetimeBoundsAreInclusive(int seconds) {
        assertThat(ApiKeySettings.fromRealmAttributes(Map.of(P + "assume-role-lifetime", Integer.toString(seconds)), DEFAULTS)
                .assumeRoleLifetimeSeconds()).isEqualTo(seconds);
        assertThat(SettingsUpdate.parse("{\"assumeRoleLifetimeSeconds\": " + seconds + "}"))
                .containsEntry(P + "assume-role-lifetime", Integer.toString(seconds));
    }

    @Test
    @DisplayName("given organization attributes then only lifetime and audiences override the realm")
    void organizationsOverrideOnlyLifetimeAndAudiences() {
        Map<String, String> org = Map.of(
                P + "assume-role-client", "admin-cli", P + "assume-role-role", "realm-admin",
                P + "owners-group", "Default", P + "admins-group", "X", P + "default-group", "Y",
                P + "resources", "agents", P + "max-keys-per-organization", "1000000",
                P + "assume-role-lifetime", "300", P + "audiences", "rs-a,rs-b");
        ApiKeySettings settings = ApiKeySettings.fromOrganizationAttributes(org::get, DEFAULTS);
        assertThat(settings).isEqualTo(new ApiKeySettings(DEFAULTS.resources(), "Owners", "Admins", "Default", 300,
                "chat-widget", "chat", java.util.List.of("rs-a", "rs-b"), 10_000, null, false, "{}", null));
    }

    @Test
    @DisplayName("given an organization lifetime out of bounds then the realm's lifetime")
    void organizationLifetimeWithinTheSameBounds() {
        Map<String, String> org = Map.of(P + "assume-role-lifetime", "315360000");
        ApiKeySettings realm = ApiKeySettings.fromRealmAttributes(Map.of(P + "assume-role-lifetime", "900"), DEFAULTS);
        assertThat(ApiKeySettings.fromOrganizationAttributes(org::get, realm).assumeRoleLifetimeSeconds()).isEqualTo(900);
    }

    @Test
    @DisplayName("given realm attributes that make two groups the same then all three group names stay the base's")
    void groupsMustDiffer() {
        ApiKeySettings read = ApiKeySettings.fromRealmAttributes(Map.of(P + "owners-group", "Default"), DEFAULTS);
        assertThat(read.ownersGroup()).isEqualTo("Owners");
        assertThat(read.defaultGroup()).isEqualTo("Default");
        assertBadRequest(() -> SettingsUpdate.resulting(Map.of(), SettingsUpdate.parse("{\"ownersGroup\": \"Default\"}"), DEFAULTS));
        assertBadRequest(() -> SettingsUpdate.resulting(Map.of(P + "admins-group", "Staff"),
                SettingsUpdate.parse("{\"defaultGroup\": \"Staff\"}"), DEFAULTS));
        assertThat(SettingsUpdate.resulting(Map.of(P + "admins-group", "Staff"),
                SettingsUpdate.parse("{\"adminsGroup\": null, \"defaultGroup\": \"Staff\"}"), DEFAULTS).defaultGroup()).isEqualTo("Staff");
    }

    @Test
    @DisplayName("given the key cap then the default is 10,000 and the PUT accepts 1..1,000,000")
    void keyCap() {
        assertThat(DEFAULTS.maxKeysPerOrganization()).isEqualTo(10_000);
        assertThat(SettingsUpdate.parse("{\"maxKeysPerOrganization\": 2}")).containsEntry(P + "max-keys-per-organization", "2");
        assertBadRequest(() -> SettingsUpdate.parse("{\"maxKeysPerOrganization\": \"2\"}"));
    }
}
