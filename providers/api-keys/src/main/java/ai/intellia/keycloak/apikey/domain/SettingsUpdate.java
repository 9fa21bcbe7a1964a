package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The realm settings document of {@code /admin/realms/{realm}/api-keys/settings}: rendering, and
 * a strict partial update (a field set to null goes back to the server-wide default) turned into
 * the realm attributes that {@link ApiKeySettings#fromRealmAttributes} reads.
 */
public final class SettingsUpdate {

    private static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Map<String, String> FIELDS = Map.of(
            "resources", "resources",
            "ownersGroup", "owners-group",
            "adminsGroup", "admins-group",
            "defaultGroup", "default-group",
            "assumeRoleLifetimeSeconds", "assume-role-lifetime",
            "assumeRoleClient", "assume-role-client",
            "assumeRoleRole", "assume-role-role",
            "audiences", "audiences");

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
            if (!FIELDS.containsKey(field)) {
                return; // not one of ours (the console adds its own keys)
            }
            if (text == null || text.isBlank()) {
                json.putNull(field);
            } else if (field.equals("resources") || field.equals("audiences")) {
                var array = json.putArray(field);
                for (String item : text.split(",")) {
                    array.add(item.strip());
                }
            } else if (field.equals("assumeRoleLifetimeSeconds")) {
                try {
                    json.put(field, Integer.parseInt(text.strip()));
                } catch (NumberFormatException e) {
                    throw ApiError.badRequest("assumeRoleLifetimeSeconds must be an integer from 60 to 86400.");
                }
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
                ? String.join(",", texts(e.getValue())) : e.getValue().asText()));
        return form;
    }

    private static Map<String, String> parse(JsonNode json) {
        StrictJson.requireOnly(json, FIELDS.keySet());
        Map<String, String> attributes = new LinkedHashMap<>();
        json.fields().forEachRemaining(field -> {
            String attribute = ApiKeySettings.ATTRIBUTE_PREFIX + FIELDS.get(field.getKey());
            JsonNode value = field.getValue();
            attributes.put(attribute, value.isNull() ? null : value(field.getKey(), value));
        });
        return attributes;
    }

    /** Field names of the settings document, in display order. */
    public static List<String> fieldNames() {
        return List.of("resources", "ownersGroup", "adminsGroup", "defaultGroup", "assumeRoleLifetimeSeconds",
                "assumeRoleClient", "assumeRoleRole", "audiences");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static String value(String field, JsonNode value) {
        return switch (field) {
            case "resources" -> String.join(",", names(field, value, RESOURCE, 64));
            case "audiences" -> String.join(",", names(field, value, Pattern.compile("[^\\s,\\p{Cntrl}]{1,255}"), 20));
            case "assumeRoleLifetimeSeconds" -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 60 || value.intValue() > 86400) {
                    throw ApiError.badRequest("assumeRoleLifetimeSeconds must be an integer from 60 to 86400.");
                }
                yield Integer.toString(value.intValue());
            }
            default -> name(field, value);
        };
    }

    private static String name(String field, JsonNode value) {
        if (!value.isTextual() || value.textValue().isBlank() || value.textValue().strip().length() > 255
                || value.textValue().chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == ',')) {
            throw ApiError.badRequest(field + " must be a name of 1 to 255 characters without '/', ',' or control characters.");
        }
        return value.textValue().strip();
    }

    private static List<String> names(String field, JsonNode value, Pattern pattern, int max) {
        if (!value.isArray() || value.isEmpty() || value.size() > max) {
            throw ApiError.badRequest(field + " must be a non-empty array of at most " + max + " names.");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || !pattern.matcher(item.textValue()).matches()) {
                throw ApiError.badRequest(field + " has an invalid entry: use names like " + (field.equals("resources") ? "knowledge_bases" : "intellia-api") + ".");
            }
            if (names.contains(item.textValue())) {
                throw ApiError.badRequest(field + " lists '" + item.textValue() + "' twice.");
            }
            names.add(item.textValue());
        }
        return names;
    }
}
