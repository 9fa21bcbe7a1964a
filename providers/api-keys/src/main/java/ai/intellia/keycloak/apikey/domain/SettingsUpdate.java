package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * the realm attributes that {@link ApiKeySettings#fromRealmAttributes} reads. Both follow the
 * {@link Setting} table; values are checked by the same {@link Setting#check} that reading
 * applies, so what is refused here is exactly what reading would ignore.
 */
public final class SettingsUpdate {

    private static final Set<String> FIELDS = Arrays.stream(Setting.values()).map(Setting::field).collect(Collectors.toSet());

    private SettingsUpdate() {
    }

    public static ObjectNode toJson(ApiKeySettings settings) {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        for (Setting setting : Setting.values()) {
            json.set(setting.field(), setting.kind().json(setting.of(settings)));
        }
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
            json.set(field, text == null || text.isBlank() ? null : setting.kind().fromForm(setting, text));
        });
        return parse(json);
    }

    /** The settings as the admin console's form shows them. */
    public static Map<String, String> toForm(ApiKeySettings settings) {
        Map<String, String> form = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            form.put(setting.field(), formText(setting, setting.of(settings)));
        }
        return form;
    }

    /** A typed value (null: none) as the console form shows it. */
    public static String formText(Setting setting, Object value) {
        return setting.kind().form(setting.kind().json(value));
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

    /** The group name as reading sees it (an invalid attribute counts as unset). */
    private static String groupOr(Map<String, String> attributes, Setting setting, String fallback) {
        String value = setting.validOrNull(attributes.get(setting.realmAttribute()));
        return value == null ? fallback : value;
    }

    private static Map<String, String> parse(JsonNode json) {
        StrictJson.requireOnly(json, FIELDS);
        Map<String, String> attributes = new LinkedHashMap<>();
        json.fields().forEachRemaining(field -> {
            Setting setting = Setting.byField(field.getKey());
            JsonNode value = field.getValue();
            attributes.put(setting.realmAttribute(), value.isNull() ? null : setting.check(setting.kind().fromJson(setting, value)));
        });
        return attributes;
    }

    /** Field names of the settings document, in display order. */
    public static List<String> fieldNames() {
        return Arrays.stream(Setting.values()).map(Setting::field).toList();
    }
}
