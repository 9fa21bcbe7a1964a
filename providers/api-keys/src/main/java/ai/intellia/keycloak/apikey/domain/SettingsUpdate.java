package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The realm settings document of {@code /admin/realms/{realm}/api-keys/settings}: rendering, and
 * a strict partial update (a field set to null goes back to the server-wide default) turned into
 * the realm attributes that {@link ApiKeySettings#fromRealmAttributes} reads. Values are checked
 * by the same {@link Setting} rules that reading applies, so what is refused here is exactly what
 * reading would ignore.
 */
public final class SettingsUpdate {

    private static final Set<String> FIELDS = Arrays.stream(Setting.values()).map(Setting::field).collect(Collectors.toSet());

    private SettingsUpdate() {
    }

    public static ObjectNode toJson(ApiKeySettings settings) {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        settings.resources().forEach(json.putArray("resources")::add);
        json.put("ownersGroup", settings.ownersGroup());
        json.put("adminsGroup", settings.adminsGroup());
        json.put("defaultGroup", settings.defaultGroup());
        json.put("assumeRoleLifetimeSeconds", settings.assumeRoleLifetimeSeconds());
        json.put("assumeRoleClient", settings.assumeRoleClient());
        json.put("assumeRoleRole", settings.assumeRoleRole());
        settings.audiences().forEach(json.putArray("audiences")::add);
        json.put("maxKeysPerOrganization", settings.maxKeysPerOrganization());
        if (settings.maxKeyLifetimeDays() == null) {
            json.putNull("maxKeyLifetimeDays");
        } else {
            json.put("maxKeyLifetimeDays", settings.maxKeyLifetimeDays());
        }
        json.put("requireExpiry", settings.requireExpiry());
        ObjectNode publicKeys = json.putObject("leakReportPublicKeys");
        if (settings.leakReportPublicKeys() != null) {
            try {
                publicKeys.setAll((ObjectNode) StrictJson.mapper().readTree(settings.leakReportPublicKeys()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e); // checked when read: cannot happen
            }
        }
        json.set("defaultRateLimits", settings.defaultRateLimits() == null ? null : settings.defaultRateLimits().toJson());
        return json;
    }

    /** Realm attribute name → new value, or null to remove the override. Refuses anything invalid as a whole. */
    public static Map<String, String> parse(String body) {
        return parse(StrictJson.readObject(body, false));
    }

    /**
     * The admin console's form (every value a string; lists comma-separated; blank = default)
     * as the same partial update.
     */
    public static Map<String, String> fromForm(Map<String, String> form) {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        form.forEach((field, text) -> {
            Setting setting = Setting.byField(field);
            if (setting == null) {
                return; // not one of ours (the console adds its own keys)
            }
            if (text == null || text.isBlank()) {
                json.putNull(field);
            } else if (setting.kind() == Setting.Kind.NAMES) {
                var array = json.putArray(field);
                for (String item : text.split(",")) {
                    array.add(item.strip());
                }
            } else if (setting.kind() == Setting.Kind.BOOLEAN) {
                json.put(field, switch (text.strip()) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw setting.invalid();
                });
            } else if (setting.kind() == Setting.Kind.PUBLIC_KEYS) {
                try {
                    json.set(field, StrictJson.mapper().readTree(text));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw setting.invalid();
                }
            } else if (setting.kind() == Setting.Kind.INTEGER) {
                try {
                    json.put(field, Integer.parseInt(text.strip()));
                } catch (NumberFormatException e) {
                    throw setting.invalid();
                }
            } else if (setting.kind() == Setting.Kind.RATE_LIMITS) {
                json.set(field, RateLimits.fromText(text, field).toJson()); // the form holds the object as JSON text
            } else {
                json.put(field, text);
            }
        });
        return parse(json);
    }

    /** The settings as the admin console's form shows them. */
    public static Map<String, String> toForm(ApiKeySettings settings) {
        Map<String, String> form = new LinkedHashMap<>();
        toJson(settings).fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().isArray()
                ? String.join(",", texts(e.getValue())) : e.getValue().isObject() ? e.getValue().toString()
                : e.getValue().isNull() ? "" : e.getValue().asText()));
        return form;
    }

    /**
     * The realm's settings once {@code update} is applied to its {@code attributes}; 400 when the
     * result would make two of the Owners, Admins and end-user groups the same group.
     */
    public static ApiKeySettings resulting(Map<String, String> attributes, Map<String, String> update, ApiKeySettings defaults) {
        Map<String, String> merged = new HashMap<>(attributes);
        update.forEach((name, value) -> {
            if (value == null) {
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        ApiKeySettings result = ApiKeySettings.fromRealmAttributes(merged, defaults);
        String owners = groupOr(merged, Setting.OWNERS_GROUP, defaults.ownersGroup());
        String admins = groupOr(merged, Setting.ADMINS_GROUP, defaults.adminsGroup());
        String members = groupOr(merged, Setting.DEFAULT_GROUP, defaults.defaultGroup());
        if (!ApiKeySettings.distinctGroups(owners, admins, members)) {
            throw ApiError.badRequest("ownersGroup, adminsGroup and defaultGroup must name three different groups.");
        }
        return result;
    }

    private static String groupOr(Map<String, String> attributes, Setting setting, String fallback) {
        String value = attributes.get(ApiKeySettings.ATTRIBUTE_PREFIX + setting.attribute());
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static Map<String, String> parse(JsonNode json) {
        StrictJson.requireOnly(json, FIELDS);
        Map<String, String> attributes = new LinkedHashMap<>();
        json.fields().forEachRemaining(field -> {
            Setting setting = Setting.byField(field.getKey());
            JsonNode value = field.getValue();
            attributes.put(ApiKeySettings.ATTRIBUTE_PREFIX + setting.attribute(), value.isNull() ? null : setting.check(text(setting, value)));
        });
        return attributes;
    }

    /** Field names of the settings document, in display order. */
    public static List<String> fieldNames() {
        return Arrays.stream(Setting.values()).map(Setting::field).toList();
    }

    /** The JSON value as attribute text, refusing wrong types, blank or padded items and duplicates. */
    private static String text(Setting setting, JsonNode value) {
        return switch (setting.kind()) {
            case NAME -> {
                if (!value.isTextual()) {
                    throw setting.invalid();
                }
                yield value.textValue();
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw setting.invalid();
                }
                yield Integer.toString(value.intValue());
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw setting.invalid();
                }
                yield Boolean.toString(value.booleanValue());
            }
            case PUBLIC_KEYS -> {
                if (!value.isObject()) {
                    throw setting.invalid();
                }
                yield value.toString();
            }
            case NAMES -> {
                if (!value.isArray()) {
                    throw setting.invalid();
                }
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (!item.isTextual() || item.textValue().isEmpty() || !item.textValue().equals(item.textValue().strip())
                            || item.textValue().contains(",")) {
                        throw setting.invalid();
                    }
                    if (items.contains(item.textValue())) {
                        throw ApiError.badRequest(setting.field() + " lists '" + item.textValue() + "' twice.");
                    }
                    items.add(item.textValue());
                }
                yield String.join(",", items);
            }
            case RATE_LIMITS -> {
                if (!value.isObject()) {
                    throw setting.invalid();
                }
                yield value.toString();
            }
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }
}
