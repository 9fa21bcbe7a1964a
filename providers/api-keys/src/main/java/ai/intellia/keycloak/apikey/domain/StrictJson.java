package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Set;

/** JSON request bodies read strictly: one object, no duplicate keys, no trailing data, no unknown fields. */
public final class StrictJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {
    }

    /** The body as an object; a blank body is an empty object when {@code blankAllowed}. */
    public static JsonNode readObject(String body, boolean blankAllowed) {
        if (body == null || body.isBlank()) {
            if (blankAllowed) {
                return MAPPER.createObjectNode();
            }
            throw ApiError.badRequest("A JSON object is required as the request body.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON.");
        }
        if (node == null || node.isNull()) {
            if (blankAllowed) {
                return MAPPER.createObjectNode();
            }
            throw ApiError.badRequest("A JSON object is required as the request body.");
        }
        if (!node.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.");
        }
        return node;
    }

    public static void requireOnly(JsonNode object, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiError.badRequest("Unknown field '" + Permissions.printable(field) + "'. Allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
    }

    /** A string field, or null when absent or JSON null; any other type is a 400. */
    public static String optionalString(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(field + " must be a string.");
        }
        return value.textValue();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
