package ai.intellia.keycloak.apikey.store;

import static org.assertj.core.api.Assertions.assertThat;

import ai.intellia.keycloak.apikey.domain.Setting;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

class ApiKeyServiceFactoryTest {

    @Test
    @DisplayName("given the SPI's config metadata then every setting is an option with its table name, help and default")
    void everySettingIsAnOption() {
        Map<String, ProviderConfigProperty> options = new ApiKeyServiceFactory().getConfigMetadata().stream()
                .collect(Collectors.toMap(ProviderConfigProperty::getName, Function.identity()));
        assertThat(options.keySet()).containsAll(Arrays.stream(Setting.values()).map(Setting::attribute).toList())
                .contains("default-rate-limits", "last-used-flush-interval", "keys-per-holder").hasSize(Setting.values().length + 2);
        for (Setting setting : Setting.values()) {
            ProviderConfigProperty option = options.get(setting.attribute());
            assertThat(option.getHelpText()).startsWith(setting.help());
            assertThat(option.getDefaultValue() == null ? null : option.getDefaultValue().toString()).isEqualTo(setting.defaultText());
        }
        assertThat(options.get("assume-role-lifetime").getType()).isEqualTo("int");
        assertThat(options.get("require-expiry").getType()).isEqualTo("boolean");
    }
}
