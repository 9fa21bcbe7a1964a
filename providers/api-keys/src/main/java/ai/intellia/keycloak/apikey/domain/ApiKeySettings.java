package ai.intellia.keycloak.apikey.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-realm settings of the extension, parsed once from string key/values (server-wide SPI
 * options for the defaults, realm attributes {@code intellia.api-keys.<name>} for overrides).
 */
public record ApiKeySettings(
        List<String> resources,
        String ownersGroup,
        String adminsGroup,
        String defaultGroup,
        int assumeRoleLifetimeSeconds,
        String assumeRoleClient,
        String assumeRoleRole,
        List<String> audiences) {

    public static final String ATTRIBUTE_PREFIX = "intellia.api-keys.";

    public static final ApiKeySettings DEFAULTS = new ApiKeySettings(
            List.of("agents", "conversations", "knowledge_bases", "tools", "integrations", "prompts", "assume_role", "webhooks"),
            "Owners", "Admins", "Default", 7200, "chat-widget", "chat", List.of("intellia-api"));

    /** Overrides from {@code values} (looked up by setting name); unset or invalid values keep the base. */
    public static ApiKeySettings from(Function<String, String> values, ApiKeySettings base) {
        return new ApiKeySettings(
                list(values.apply("resources"), base.resources),
                text(values.apply("owners-group"), base.ownersGroup),
                text(values.apply("admins-group"), base.adminsGroup),
                text(values.apply("default-group"), base.defaultGroup),
                positive(values.apply("assume-role-lifetime"), base.assumeRoleLifetimeSeconds),
                text(values.apply("assume-role-client"), base.assumeRoleClient),
                text(values.apply("assume-role-role"), base.assumeRoleRole),
                list(values.apply("audiences"), base.audiences));
    }

    public static ApiKeySettings fromRealmAttributes(Map<String, String> attributes, ApiKeySettings base) {
        return from(name -> attributes.get(ATTRIBUTE_PREFIX + name), base);
    }

    private static String text(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int positive(String value, int fallback) {
        try {
            int parsed = value == null ? fallback : Integer.parseInt(value.strip());
            return parsed > 0 ? parsed : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static List<String> list(String value, List<String> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        List<String> items = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        return items.isEmpty() ? fallback : items;
    }
}
