package ai.intellia.keycloak.apikey.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One setting of the extension and the single rule for its values (contract section 6), applied
 * alike wherever a value comes from: the settings PUT and the admin-console tab refuse a value
 * that breaks it (400), while SPI options and realm or organization attributes that break it are
 * ignored (the next layer's value is used). Values are held as the attribute text.
 */
public enum Setting {
    RESOURCES("resources", "resources", Kind.NAMES),
    OWNERS_GROUP("ownersGroup", "owners-group", Kind.NAME),
    ADMINS_GROUP("adminsGroup", "admins-group", Kind.NAME),
    DEFAULT_GROUP("defaultGroup", "default-group", Kind.NAME),
    ASSUME_ROLE_LIFETIME("assumeRoleLifetimeSeconds", "assume-role-lifetime", Kind.INTEGER),
    ASSUME_ROLE_CLIENT("assumeRoleClient", "assume-role-client", Kind.NAME),
    ASSUME_ROLE_ROLE("assumeRoleRole", "assume-role-role", Kind.NAME),
    AUDIENCES("audiences", "audiences", Kind.NAMES),
    MAX_KEYS("maxKeysPerOrganization", "max-keys-per-organization", Kind.INTEGER),
    MAX_KEY_LIFETIME("maxKeyLifetimeDays", "max-key-lifetime-days", Kind.INTEGER),
    REQUIRE_EXPIRY("requireExpiry", "require-expiry", Kind.BOOLEAN),
    LEAK_REPORT_PUBLIC_KEYS("leakReportPublicKeys", "leak-report-public-keys", Kind.PUBLIC_KEYS),
    DEFAULT_RATE_LIMITS("defaultRateLimits", "default-rate-limits", Kind.RATE_LIMITS);

    public static final int MIN_LIFETIME = 60;
    public static final int MAX_LIFETIME = 86_400;
    public static final int MAX_KEYS_LIMIT = 1_000_000;
    /** A hundred years: beyond it "no maximum" is the honest setting. */
    public static final int MAX_KEY_LIFETIME_DAYS = 36_500;
    private static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern AUDIENCE = Pattern.compile("[^\\s,\\p{Cntrl}]{1,255}");

    enum Kind { NAME, NAMES, INTEGER, BOOLEAN, PUBLIC_KEYS, RATE_LIMITS }

    private final String field;
    private final String attribute;
    private final Kind kind;

    Setting(String field, String attribute, Kind kind) {
        this.field = field;
        this.attribute = attribute;
        this.kind = kind;
    }

    /** Name in the settings document and the console form. */
    public String field() {
        return field;
    }

    /** Name of the SPI option; realm and organization attributes add {@link ApiKeySettings#ATTRIBUTE_PREFIX}. */
    public String attribute() {
        return attribute;
    }

    Kind kind() {
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

    /** The value, normalised (trimmed; lists deduplicated, comma-joined); 400 naming the field when it breaks the rule. */
    public String check(String text) {
        if (text == null || text.isBlank()) {
            throw invalid();
        }
        return switch (kind) {
            case NAME -> {
                String name = text.strip();
                if (name.length() > 255 || name.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == ',')) {
                    throw invalid();
                }
                yield name;
            }
            case NAMES -> String.join(",", items(text));
            case INTEGER -> Integer.toString(integer(text));
            case BOOLEAN -> switch (text.strip()) {
                case "true", "false" -> text.strip();
                default -> throw invalid();
            };
            case PUBLIC_KEYS -> LeakReportPublicKeys.check(text, this::invalid);
            case RATE_LIMITS -> RateLimits.fromText(text, field).toJson().toString(); // stored as canonical JSON text
        };
    }

    /** An integer setting's value as a number (after {@link #check}). */
    int integer(String text) {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid();
        }
        int min = this == ASSUME_ROLE_LIFETIME ? MIN_LIFETIME : 1;
        int max = switch (this) {
            case ASSUME_ROLE_LIFETIME -> MAX_LIFETIME;
            case MAX_KEY_LIFETIME -> MAX_KEY_LIFETIME_DAYS;
            default -> MAX_KEYS_LIMIT;
        };
        if (value < min || value > max) {
            throw invalid();
        }
        return value;
    }

    List<String> items(String text) {
        Pattern pattern = this == RESOURCES ? RESOURCE : AUDIENCE;
        int max = this == RESOURCES ? 64 : 20;
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            String name = item.strip();
            if (name.isEmpty() || items.contains(name)) {
                continue;
            }
            if (!pattern.matcher(name).matches()) {
                throw invalid();
            }
            items.add(name);
        }
        if (items.isEmpty() || items.size() > max) {
            throw invalid();
        }
        return items;
    }

    ApiError invalid() {
        return ApiError.badRequest(switch (this) {
            case RESOURCES -> "resources must be a non-empty array of at most 64 names like knowledge_bases.";
            case AUDIENCES -> "audiences must be a non-empty array of at most 20 client ids like intellia-api.";
            case ASSUME_ROLE_LIFETIME -> field + " must be an integer from " + MIN_LIFETIME + " to " + MAX_LIFETIME + ".";
            case MAX_KEYS -> field + " must be an integer from 1 to " + MAX_KEYS_LIMIT + ".";
            case MAX_KEY_LIFETIME -> field + " must be an integer from 1 to " + MAX_KEY_LIFETIME_DAYS + " (days), or null for no maximum.";
            case REQUIRE_EXPIRY -> field + " must be true or false.";
            case LEAK_REPORT_PUBLIC_KEYS -> field + " must be an object of at most " + LeakReportPublicKeys.MAX_KEYS
                    + " identifier → PEM entries, each an EC P-256 public key (-----BEGIN PUBLIC KEY-----).";
            case DEFAULT_RATE_LIMITS -> RateLimits.invalid(field).description();
            default -> field + " must be a name of 1 to 255 characters without '/', ',' or control characters.";
        });
    }
}
