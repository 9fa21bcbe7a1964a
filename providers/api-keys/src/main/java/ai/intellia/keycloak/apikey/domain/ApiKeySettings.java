package ai.intellia.keycloak.apikey.domain;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-realm settings of the extension, parsed once from string key/values (server-wide SPI
 * options for the defaults, realm attributes {@code intellia.api-keys.<name>} for overrides,
 * organization attributes for the few values an organization may differ in). A value that breaks
 * its {@link Setting} rule is ignored: the layer below is used, never the bad value.
 */
public record ApiKeySettings(
        List<String> resources,
        String ownersGroup,
        String adminsGroup,
        String defaultGroup,
        int assumeRoleLifetimeSeconds,
        String assumeRoleClient,
        String assumeRoleRole,
        List<String> audiences,
        int maxKeysPerOrganization,
        Integer maxKeyLifetimeDays,
        boolean requireExpiry,
        String leakReportPublicKeys,
        RateLimits defaultRateLimits) {

    public static final String ATTRIBUTE_PREFIX = "intellia.api-keys.";

    /**
     * The organization admins' page's sign-in client: not a {@link Setting} (it belongs to the
     * page's own SPI option, {@code --spi-realm-restapi-extension--api-keys-console--client-id}),
     * but a realm may name its own in this attribute.
     */
    public static final String CONSOLE_CLIENT_ATTRIBUTE = ATTRIBUTE_PREFIX + "console-client";
    public static final String DEFAULT_CONSOLE_CLIENT = "intellia-portal";

    /** The built-in defaults: {@link Setting#defaultText} of every setting. */
    public static final ApiKeySettings DEFAULTS = of(setting -> setting.defaultText() == null ? null
            : setting.kind().value(setting.defaultText()));

    /** Overrides from {@code values} (looked up by setting name); unset or invalid values keep the base. */
    public static ApiKeySettings from(Function<String, String> values, ApiKeySettings base) {
        return layer(values, base, false);
    }

    public static ApiKeySettings fromRealmAttributes(Map<String, String> attributes, ApiKeySettings base) {
        return from(name -> attributes.get(ATTRIBUTE_PREFIX + name), base);
    }

    /**
     * An organization's attributes over its realm's settings: only the assume-role lifetime and
     * audiences may differ, and the key lifetime policy may only be tightened (a smaller
     * maximum, requireExpiry true; a looser value is ignored).
     */
    public static ApiKeySettings fromOrganizationAttributes(Function<String, String> attributes, ApiKeySettings realm) {
        return layer(name -> attributes.apply(ATTRIBUTE_PREFIX + name), realm, true);
    }

    /** The same settings with another assume-role client and role (when the configured pair is unusable). */
    public ApiKeySettings withAssumeRoleTarget(String client, String role) {
        return new ApiKeySettings(resources, ownersGroup, adminsGroup, defaultGroup, assumeRoleLifetimeSeconds, client, role,
                audiences, maxKeysPerOrganization, maxKeyLifetimeDays, requireExpiry, leakReportPublicKeys, defaultRateLimits);
    }

    private static ApiKeySettings layer(Function<String, String> values, ApiKeySettings base, boolean organization) {
        Map<Setting, Object> v = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String text = organization && !setting.organizationMayOverride() ? null : setting.validOrNull(values.apply(setting.attribute()));
            v.put(setting, text == null ? setting.of(base) : setting.kind().value(text));
        }
        if (!distinctGroups((String) v.get(Setting.OWNERS_GROUP), (String) v.get(Setting.ADMINS_GROUP), (String) v.get(Setting.DEFAULT_GROUP))) {
            // e.g. owners-group=Default would make every end user an Owner: keep the base's three names
            for (Setting group : List.of(Setting.OWNERS_GROUP, Setting.ADMINS_GROUP, Setting.DEFAULT_GROUP)) {
                v.put(group, group.of(base));
            }
        }
        if (organization) {
            // An organization may only tighten the realm's key lifetime policy.
            Integer days = (Integer) v.get(Setting.MAX_KEY_LIFETIME);
            if (days != null && base.maxKeyLifetimeDays != null) {
                v.put(Setting.MAX_KEY_LIFETIME, Math.min(base.maxKeyLifetimeDays, days));
            }
            v.put(Setting.REQUIRE_EXPIRY, base.requireExpiry || (Boolean) v.get(Setting.REQUIRE_EXPIRY));
        }
        return of(v::get);
    }

    /** The record of every setting's typed value ({@link SettingKind#value}). */
    @SuppressWarnings("unchecked")
    private static ApiKeySettings of(Function<Setting, Object> v) {
        return new ApiKeySettings(
                (List<String>) v.apply(Setting.RESOURCES),
                (String) v.apply(Setting.OWNERS_GROUP),
                (String) v.apply(Setting.ADMINS_GROUP),
                (String) v.apply(Setting.DEFAULT_GROUP),
                (Integer) v.apply(Setting.ASSUME_ROLE_LIFETIME),
                (String) v.apply(Setting.ASSUME_ROLE_CLIENT),
                (String) v.apply(Setting.ASSUME_ROLE_ROLE),
                (List<String>) v.apply(Setting.AUDIENCES),
                (Integer) v.apply(Setting.MAX_KEYS),
                (Integer) v.apply(Setting.MAX_KEY_LIFETIME),
                (Boolean) v.apply(Setting.REQUIRE_EXPIRY),
                (String) v.apply(Setting.LEAK_REPORT_PUBLIC_KEYS),
                (RateLimits) v.apply(Setting.DEFAULT_RATE_LIMITS));
    }

    /** The Owners, Admins and end-user groups must be three different groups. */
    public static boolean distinctGroups(String owners, String admins, String defaults) {
        return !owners.equals(admins) && !owners.equals(defaults) && !admins.equals(defaults);
    }
}
