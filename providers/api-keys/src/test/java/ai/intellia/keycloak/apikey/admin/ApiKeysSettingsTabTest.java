package ai.intellia.keycloak.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.Setting;
import ai.intellia.keycloak.apikey.domain.SettingsUpdate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;
import java.util.Map;

class ApiKeysSettingsTabTest {

    @Test
    @DisplayName("given the console tab then one field per setting, in table order, with its label and the form's defaults")
    void oneFieldPerSetting() {
        List<ProviderConfigProperty> fields = new ApiKeysSettingsTab().getConfigProperties();
        assertThat(fields).extracting(ProviderConfigProperty::getName).containsExactlyElementsOf(SettingsUpdate.fieldNames());
        Map<String, String> form = SettingsUpdate.toForm(ApiKeySettings.DEFAULTS);
        for (int i = 0; i < fields.size(); i++) {
            Setting setting = Setting.values()[i];
            ProviderConfigProperty field = fields.get(i);
            assertThat(field.getLabel()).isEqualTo(setting.label());
            assertThat(field.getHelpText()).startsWith(setting.help());
            if (field.getDefaultValue() != null) {
                assertThat(field.getDefaultValue()).isEqualTo(form.get(setting.field()));
            }
        }
        assertThat(fields.get(Setting.REQUIRE_EXPIRY.ordinal()).getType()).isEqualTo(ProviderConfigProperty.BOOLEAN_TYPE);
        assertThat(fields.get(Setting.LEAK_REPORT_PUBLIC_KEYS.ordinal()).getType()).isEqualTo(ProviderConfigProperty.TEXT_TYPE);
        assertThat(fields.get(Setting.LEAK_REPORT_PUBLIC_KEYS.ordinal()).getDefaultValue()).isNull();
        assertThat(fields.get(Setting.RESOURCES.ordinal()).getDefaultValue()).isEqualTo(String.join(",", ApiKeySettings.DEFAULTS.resources()));
    }
}
