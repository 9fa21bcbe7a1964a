package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes a {@link Setting} takes, each with its one parser and its renderings: attribute text
 * (how SPI options and realm or organization attributes hold it, and the form the rule checks),
 * the typed value in {@link ApiKeySettings}, the settings document's JSON, and the console form's
 * text. A PUT value or a form text becomes attribute text and then meets the same
 * {@link Setting#check} as an attribute does on every read.
 */
public enum SettingKind {
    /** A group, client or role name. */
    NAME {
        @Override
        String bounds(int min, int max, String unit) {
            return "a name of 1 to 255 characters without '/', ',' or control characters";
        }

        @Override
        String check(Setting setting, String text) {
            String name = text.strip();
            if (name.length() > 255 || name.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == ',')) {
                throw setting.invalid();
            }
            return name;
        }

        @Override
        public Object value(String text) {
            return text;
        }

        @Override
        JsonNode json(Object value) {
            return JSON.textNode((String) value);
        }

        @Override
        String fromJson(Setting setting, JsonNode value) {
            if (!value.isTextual()) {
                throw setting.invalid();
            }
            return value.textValue();
        }
    },
    /** A list of names: attribute and form text comma-separated, a JSON array in the document. */
    NAMES {
        @Override
        String bounds(int min, int max, String unit) {
            return "a non-empty array of at most " + max + " " + unit;
        }

        @Override
        String check(Setting setting, String text) {
            List<String> items = new ArrayList<>();
            for (String item : text.split(",")) {
                String name = item.strip();
                if (name.isEmpty() || items.contains(name)) {
                    continue;
                }
                if (!setting.item().matcher(name).matches()) {
                    throw setting.invalid();
                }
                items.add(name);
            }
            if (items.size() < setting.min() || items.size() > setting.max()) {
                throw setting.invalid();
            }
            return String.join(",", items);
        }

        @Override
        public Object value(String text) {
            return List.of(text.split(","));
        }

        @Override
        JsonNode json(Object value) {
            ArrayNode array = JSON.arrayNode();
            ((List<?>) value).forEach(item -> array.add((String) item));
            return array;
        }

        /** Refuses wrong types, blank or padded items and duplicates (reading would only skip them). */
        @Override
        String fromJson(Setting setting, JsonNode value) {
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
            return String.join(",", items);
        }

        @Override
        JsonNode fromForm(Setting setting, String text) {
            ArrayNode array = JSON.arrayNode();
            for (String item : text.split(",")) {
                array.add(item.strip());
            }
            return array;
        }

        @Override
        String form(JsonNode json) {
            List<String> items = new ArrayList<>();
            json.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
    },
    INTEGER {
        @Override
        String bounds(int min, int max, String unit) {
            return "an integer from " + min + " to " + max + unit;
        }

        @Override
        String check(Setting setting, String text) {
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw setting.invalid();
            }
            if (value < setting.min() || value > setting.max()) {
                throw setting.invalid();
            }
            return Integer.toString(value);
        }

        @Override
        public Object value(String text) {
            return Integer.valueOf(text);
        }

        @Override
        JsonNode json(Object value) {
            return value == null ? NullNode.getInstance() : JSON.numberNode((Integer) value);
        }

        @Override
        String fromJson(Setting setting, JsonNode value) {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw setting.invalid();
            }
            return Integer.toString(value.intValue());
        }

        @Override
        JsonNode fromForm(Setting setting, String text) {
            try {
                return JSON.numberNode(Integer.parseInt(text.strip()));
            } catch (NumberFormatException e) {
                throw setting.invalid();
            }
        }
    },
    BOOLEAN {
        @Override
        String bounds(int min, int max, String unit) {
            return "true or false";
        }

        @Override
        String check(Setting setting, String text) {
            return switch (text.strip()) {
                case "true", "false" -> text.strip();
                default -> throw setting.invalid();
            };
        }

        @Override
        public Object value(String text) {
            return Boolean.valueOf(text);
        }

        @Override
        JsonNode json(Object value) {
            return JSON.booleanNode((Boolean) value);
        }

        @Override
        String fromJson(Setting setting, JsonNode value) {
            if (!value.isBoolean()) {
                throw setting.invalid();
            }
            return Boolean.toString(value.booleanValue());
        }

        @Override
        JsonNode fromForm(Setting setting, String text) {
            return JSON.booleanNode(Boolean.parseBoolean(check(setting, text)));
        }
    },
    /** {@code {identifier: PEM}}: attribute and form text are the JSON object's text. */
    PUBLIC_KEYS {
        @Override
        String bounds(int min, int max, String unit) {
            return "an object of at most " + LeakReportPublicKeys.MAX_KEYS
                    + " identifier → PEM entries, each an EC P-256 public key (-----BEGIN PUBLIC KEY-----)";
        }

        @Override
        String check(Setting setting, String text) {
            return LeakReportPublicKeys.check(text, setting::invalid);
        }

        @Override
        public Object value(String text) {
            return text;
        }

        @Override
        JsonNode json(Object value) {
            return value == null ? JSON.objectNode() : readObject((String) value);
        }

        @Override
        String fromJson(Setting setting, JsonNode value) {
            return objectText(setting, value);
        }

        @Override
        JsonNode fromForm(Setting setting, String text) {
            try {
                return StrictJson.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw setting.invalid();
            }
        }
    },
    /** {@link RateLimits}: attribute and form text are the JSON object's text, stored canonical. */
    RATE_LIMITS {
        @Override
        String bounds(int min, int max, String unit) {
            return "an object with optional assumeRole, exchange and introspect, each a string N/s, N/min or N/h"
                    + " with N from 1 to " + RateLimit.MAX_COUNT;
        }

        @Override
        String check(Setting setting, String text) {
            return RateLimits.fromText(text, setting.field()).toJson().toString();
        }

        @Override
        public Object value(String text) {
            return RateLimits.fromText(text, "");
        }

        @Override
        JsonNode json(Object value) {
            return value == null ? NullNode.getInstance() : ((RateLimits) value).toJson();
        }

        @Override
        String fromJson(Setting setting, JsonNode value) {
            return objectText(setting, value);
        }

        @Override
        JsonNode fromForm(Setting setting, String text) {
            return RateLimits.fromText(text, setting.field()).toJson();
        }
    };

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A settings document's object value as its text; 400 for anything but an object. */
    private static String objectText(Setting setting, JsonNode value) {
        if (!value.isObject()) {
            throw setting.invalid();
        }
        return value.toString();
    }

    /** The rule as a phrase ("an integer from 60 to 86400"), for messages and help. */
    abstract String bounds(int min, int max, String unit);

    /** Normalised attribute text; {@link Setting#invalid} when the (non-blank) text breaks the rule. */
    abstract String check(Setting setting, String text);

    /** The typed value of checked attribute text (String, List of String, Integer, Boolean or RateLimits). */
    public abstract Object value(String text);

    /** The typed value (null: none) as the settings document shows it. */
    abstract JsonNode json(Object value);

    /** A settings-document value (not JSON null) as attribute text; 400 for a wrong JSON type. */
    abstract String fromJson(Setting setting, JsonNode value);

    /** A console form text (not blank) as the settings-document value. */
    JsonNode fromForm(Setting setting, String text) {
        return JSON.textNode(text);
    }

    /** A settings-document value as the console form shows it (blank: none). */
    String form(JsonNode json) {
        return json.isNull() ? "" : json.isObject() ? json.toString() : json.asText();
    }

    private static JsonNode readObject(String text) {
        try {
            return StrictJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // checked when read: cannot happen
        }
    }
}
