package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Set;

/**
 * A key's (or an organization's default) rate limits per operation: {@code assumeRole},
 * {@code exchange}, {@code introspect}; a missing one is unlimited (or the default's).
 */
public record RateLimits(RateLimit assumeRole, RateLimit exchange, RateLimit introspect) {

    public static final RateLimits NONE = new RateLimits(null, null, null);

    public enum Operation {
        ASSUME_ROLE("assumeRole"), EXCHANGE("exchange"), INTROSPECT("introspect");

        private final String field;

        Operation(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private static final Set<String> FIELDS = Set.of("assumeRole", "exchange", "introspect");

    /** The object of a request body, setting or stored record; null for absent or JSON null; 400 naming the field when invalid. */
    public static RateLimits parse(JsonNode json, String field) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isObject()) {
            throw invalid(field);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                throw invalid(field);
            }
        }
        return new RateLimits(limit(json, "assumeRole", field), limit(json, "exchange", field), limit(json, "introspect", field));
    }

    /** From a setting's text (a JSON object); 400 naming {@code field} when it is not one. */
    public static RateLimits fromText(String text, String field) {
        JsonNode json;
        try {
            json = StrictJson.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid(field);
        }
        RateLimits limits = json == null ? null : parse(json, field);
        if (limits == null) {
            throw invalid(field);
        }
        return limits;
    }

    public RateLimit of(Operation operation) {
        return switch (operation) {
            case ASSUME_ROLE -> assumeRole;
            case EXCHANGE -> exchange;
            case INTROSPECT -> introspect;
        };
    }

    /** This key's limit for the operation, else the organization's default (either may be null). */
    public static RateLimit effective(RateLimits key, RateLimits organizationDefault, Operation operation) {
        RateLimit own = key == null ? null : key.of(operation);
        return own != null || organizationDefault == null ? own : organizationDefault.of(operation);
    }

    public ObjectNode toJson() {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        for (Operation operation : Operation.values()) {
            RateLimit limit = of(operation);
            if (limit != null) {
                json.put(operation.field(), limit.text());
            }
        }
        return json;
    }

    private static RateLimit limit(JsonNode json, String name, String field) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        RateLimit limit = value.isTextual() ? RateLimit.parseOrNull(value.asText()) : null;
        if (limit == null) {
            throw invalid(field);
        }
        return limit;
    }

    static ApiError invalid(String field) {
        return ApiError.badRequest(field + " must be null or an object with optional assumeRole, exchange and introspect, each a string"
                + " N/s, N/min or N/h with N from 1 to " + RateLimit.MAX_COUNT + ".");
    }
}
