package ai.intellia.keycloak.apikey.domain;

import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The table of the extension's settings: for each, its field in the settings document and the
 * console form, its SPI option / attribute name, label, help, built-in default and the single rule
 * for its values (contract section 6). Everything else derives from this table: the
 * {@link ApiKeySettings} record's defaults and parsing, the settings document
 * ({@link SettingsUpdate}), the admin-console tab and the SPI's config metadata. The rule applies
 * alike wherever a value comes from: the settings PUT and the admin-console tab refuse a value that
 * breaks it (400), while SPI options and realm or organization attributes that break it are ignored
 * (the next layer's value is used). Values are held as the attribute text.
 *
 * <p>A new setting is a row here, a component of {@link ApiKeySettings} (and its line in
 * {@code ApiKeySettings.of}), and its row in the docs' settings table and the OpenAPI schema.
 */
public enum Setting {
    RESOURCES("resources", "resources", ApiKeySettings::resources, "Permission resources",
            "Comma-separated resource names keys can be granted read/write on.",
            "agents,conversations,knowledge_bases,tools,integrations,prompts,assume_role,webhooks",
            SettingKind.NAMES, 1, 64, "[a-z][a-z0-9_]{0,63}", "names like knowledge_bases"),
    OWNERS_GROUP("ownersGroup", "owners-group", ApiKeySettings::ownersGroup, "Owners group",
            "Organization group whose members are Owners; created on first need.", "Owners", SettingKind.NAME),
    ADMINS_GROUP("adminsGroup", "admins-group", ApiKeySettings::adminsGroup, "Admins group",
            "Organization group whose members are Admins; created on first need.", "Admins", SettingKind.NAME),
    DEFAULT_GROUP("defaultGroup", "default-group", ApiKeySettings::defaultGroup, "End-user group",
            "Organization group that assume-role puts new end users in; created on first need.", "Default", SettingKind.NAME),
    ASSUME_ROLE_LIFETIME("assumeRoleLifetimeSeconds", "assume-role-lifetime", ApiKeySettings::assumeRoleLifetimeSeconds,
            "Assume-role token lifetime (s)", "Lifetime of end-user tokens in seconds.", "7200",
            SettingKind.INTEGER, 60, 86_400, null, ""),
    ASSUME_ROLE_CLIENT("assumeRoleClient", "assume-role-client", ApiKeySettings::assumeRoleClient, "Assume-role client",
            "Public client (azp) of end-user tokens, full scope off, scope only the role; created on first need."
                    + " Choosing it needs manage-clients.", "chat-widget", SettingKind.NAME),
    ASSUME_ROLE_ROLE("assumeRoleRole", "assume-role-role", ApiKeySettings::assumeRoleRole, "Assume-role realm role",
            "The only realm role in end-user tokens: a plain (not composite) role; created on first need."
                    + " Choosing it needs the right to map it.", "chat", SettingKind.NAME),
    AUDIENCES("audiences", "audiences", ApiKeySettings::audiences, "Resource-server audiences",
            "Comma-separated client ids put in aud of minted tokens (when they exist).", "intellia-api",
            SettingKind.NAMES, 1, 20, "[^\\s,\\p{Cntrl}]{1,255}", "client ids like intellia-api"),
    MAX_KEYS("maxKeysPerOrganization", "max-keys-per-organization", ApiKeySettings::maxKeysPerOrganization,
            "Live keys per organization", "Working keys an organization may have; creating one more is refused (409).",
            "10000", SettingKind.INTEGER, 1, 1_000_000, null, ""),
    /* A hundred years at most: beyond it "no maximum" is the honest setting. */
    MAX_KEY_LIFETIME("maxKeyLifetimeDays", "max-key-lifetime-days", ApiKeySettings::maxKeyLifetimeDays,
            "Maximum key lifetime (days)", "Keys may expire at most this many days after creation or rotation;"
                    + " organizations may set a smaller maximum in their attributes.",
            null, SettingKind.INTEGER, 1, 36_500, null, " (days), or null for no maximum"),
    REQUIRE_EXPIRY("requireExpiry", "require-expiry", ApiKeySettings::requireExpiry, "Require an expiry",
            "Refuse keys without expiresAt (also implied by a maximum lifetime).", "false", SettingKind.BOOLEAN),
    LEAK_REPORT_PUBLIC_KEYS("leakReportPublicKeys", "leak-report-public-keys", ApiKeySettings::leakReportPublicKeys,
            "Leak-report public keys", "JSON object {identifier: PEM} of the EC P-256 keys that a secret scanner signs"
                    + " leak reports with (POST /realms/{realm}/api-keys/leak-reports).", "{}", SettingKind.PUBLIC_KEYS),
    DEFAULT_RATE_LIMITS("defaultRateLimits", "default-rate-limits", ApiKeySettings::defaultRateLimits,
            "Default rate limits of keys", "JSON object with optional assumeRole, exchange, introspect, each N/s, N/min or N/h,"
                    + " e.g. {\"exchange\": \"60/min\"}; a key's own rateLimits win; counted per node. Unset: none.",
            null, SettingKind.RATE_LIMITS);

    private final String field;
    private final String attribute;
    private final Function<ApiKeySettings, Object> value;
    private final String label;
    private final String help;
    private final String defaultText;
    private final SettingKind kind;
    private final int min;
    private final int max;
    private final Pattern item;
    private final String bounds;

    Setting(String field, String attribute, Function<ApiKeySettings, Object> value, String label, String help,
            String defaultText, SettingKind kind) {
        this(field, attribute, value, label, help, defaultText, kind, 0, 0, null, "");
    }

    /**
     * @param min an integer's least value, or a list's least number of items
     * @param max an integer's greatest value, or a list's greatest number of items
     * @param item the pattern of a list's items
     * @param unit what an integer counts, or what a list holds (for messages and help)
     */
    Setting(String field, String attribute, Function<ApiKeySettings, Object> value, String label, String help,
            String defaultText, SettingKind kind, int min, int max, String item, String unit) {
        this.field = field;
        this.attribute = attribute;
        this.value = value;
        this.label = label;
        this.help = help;
        this.defaultText = defaultText;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.item = item == null ? null : Pattern.compile(item);
        this.bounds = kind.bounds(min, max, unit);
    }

    /** Name in the settings document and the console form. */
    public String field() {
        return field;
    }

    /** Name of the SPI option; realm and organization attributes add {@link ApiKeySettings#ATTRIBUTE_PREFIX}. */
    public String attribute() {
        return attribute;
    }

    /** Name of the realm or organization attribute. */
    public String realmAttribute() {
        return ApiKeySettings.ATTRIBUTE_PREFIX + attribute;
    }

    /** Label of the console form's field. */
    public String label() {
        return label;
    }

    /** What the setting means and which values it takes: the console's and the SPI option's help. */
    public String help() {
        return help + " Valid: " + bounds + ".";
    }

    /** The built-in default as attribute text; null when the default is "none". */
    public String defaultText() {
        return defaultText;
    }

    public SettingKind kind() {
        return kind;
    }

    /** Organization attributes may override only these; client, role and group names are realm-wide. */
    public boolean organizationMayOverride() {
        // The lifetime policy only within the realm's bound: see ApiKeySettings#fromOrganizationAttributes.
        return this == ASSUME_ROLE_LIFETIME || this == AUDIENCES || this == MAX_KEY_LIFETIME || this == REQUIRE_EXPIRY
                || this == DEFAULT_RATE_LIMITS;
    }

    public static Setting byField(String field) {
        return Arrays.stream(values()).filter(s -> s.field.equals(field)).findFirst().orElse(null);
    }

    public static Setting byAttribute(String attribute) {
        return Arrays.stream(values()).filter(s -> s.attribute.equals(attribute)).findFirst().orElse(null);
    }

    /** The value, normalised (trimmed; lists deduplicated, comma-joined); 400 naming the field when it breaks the rule. */
    public String check(String text) {
        if (text == null || text.isBlank()) {
            throw invalid();
        }
        return kind.check(this, text);
    }

    /** The value as attribute text when it keeps the rule, else null (blank counts as unset): how every read sees it. */
    public String validOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return check(text);
        } catch (ApiError e) {
            return null;
        }
    }

    /** This setting's value in {@code settings}, typed as {@link SettingKind#value} returns it (null for none). */
    public Object of(ApiKeySettings settings) {
        return value.apply(settings);
    }

    int min() {
        return min;
    }

    int max() {
        return max;
    }

    Pattern item() {
        return item;
    }

    ApiError invalid() {
        return kind == SettingKind.RATE_LIMITS ? RateLimits.invalid(field) : ApiError.badRequest(field + " must be " + bounds + ".");
    }
}
