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

    public static final ApiKeySettings DEFAULTS = new ApiKeySettings(
            List.of("agents", "conversations", "knowledge_bases", "tools", "integrations", "prompts", "assume_role", "webhooks"),
            "Owners", "Admins", "Default", 7200, "chat-widget", "chat", List.of("intellia-api"), 10_000,
            null, false, "{}", null);

    /** Settings without an organization default for rate limits. */
    public ApiKeySettings(List<String> resources, String ownersGroup, String adminsGroup, String defaultGroup,
                          int assumeRoleLifetimeSeconds, String assumeRoleClient, String assumeRoleRole, List<String> audiences,
                          int maxKeysPerOrganization, Integer maxKeyLifetimeDays, boolean requireExpiry, String leakReportPublicKeys) {
        this(resources, ownersGroup, adminsGroup, defaultGroup, assumeRoleLifetimeSeconds, assumeRoleClient, assumeRoleRole, audiences,
                maxKeysPerOrganization, maxKeyLifetimeDays, requireExpiry, leakReportPublicKeys, null);
    }

    /** Settings without a lifetime policy, leak-report keys or an organization default for rate limits. */
    public ApiKeySettings(List<String> resources, String ownersGroup, String adminsGroup, String defaultGroup,
                          int assumeRoleLifetimeSeconds, String assumeRoleClient, String assumeRoleRole, List<String> audiences,
                          int maxKeysPerOrganization) {
        this(resources, ownersGroup, adminsGroup, defaultGroup, assumeRoleLifetimeSeconds, assumeRoleClient, assumeRoleRole, audiences,
                maxKeysPerOrganization, null, false, "{}", null);
    }

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
        Map<Setting, String> v = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String text = organization && !setting.organizationMayOverride() ? null : values.apply(setting.attribute());
            v.put(setting, valid(setting, text));
        }
        String owners = or(v.get(Setting.OWNERS_GROUP), base.ownersGroup);
        String admins = or(v.get(Setting.ADMINS_GROUP), base.adminsGroup);
        String defaults = or(v.get(Setting.DEFAULT_GROUP), base.defaultGroup);
        if (!distinctGroups(owners, admins, defaults)) {
            // e.g. owners-group=Default would make every end user an Owner: keep the base's three names
            owners = base.ownersGroup;
            admins = base.adminsGroup;
            defaults = base.defaultGroup;
        }
        return new ApiKeySettings(
                list(v.get(Setting.RESOURCES), base.resources),
                owners, admins, defaults,
                number(v.get(Setting.ASSUME_ROLE_LIFETIME), base.assumeRoleLifetimeSeconds),
                or(v.get(Setting.ASSUME_ROLE_CLIENT), base.assumeRoleClient),
                or(v.get(Setting.ASSUME_ROLE_ROLE), base.assumeRoleRole),
                list(v.get(Setting.AUDIENCES), base.audiences),
                number(v.get(Setting.MAX_KEYS), base.maxKeysPerOrganization),
                maxLifetime(v.get(Setting.MAX_KEY_LIFETIME), base.maxKeyLifetimeDays, organization),
                organization ? base.requireExpiry || "true".equals(v.get(Setting.REQUIRE_EXPIRY))
                        : v.get(Setting.REQUIRE_EXPIRY) == null ? base.requireExpiry : "true".equals(v.get(Setting.REQUIRE_EXPIRY)),
                or(v.get(Setting.LEAK_REPORT_PUBLIC_KEYS), base.leakReportPublicKeys),
                v.get(Setting.DEFAULT_RATE_LIMITS) == null ? base.defaultRateLimits
                        : RateLimits.fromText(v.get(Setting.DEFAULT_RATE_LIMITS), Setting.DEFAULT_RATE_LIMITS.field()));
    }

    /** An organization may only lower the realm's maximum key lifetime (or set one where the realm has none). */
    private static Integer maxLifetime(String value, Integer base, boolean organization) {
        if (value == null) {
            return base;
        }
        int days = Integer.parseInt(value);
        return organization && base != null ? Math.min(base, days) : Integer.valueOf(days);
    }

    /** The Owners, Admins and end-user groups must be three different groups. */
    public static boolean distinctGroups(String owners, String admins, String defaults) {
        return !owners.equals(admins) && !owners.equals(defaults) && !admins.equals(defaults);
    }

    private static String valid(Setting setting, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return setting.check(text);
        } catch (ApiError e) {
            return null;
        }
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static int number(String value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static List<String> list(String value, List<String> fallback) {
        return value == null ? fallback : List.of(value.split(","));
    }
}
