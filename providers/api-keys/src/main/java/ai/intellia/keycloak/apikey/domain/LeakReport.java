package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A leak report in GitHub's secret-scanning partner format: a JSON array of
 * {@code {"token", "type", "url", "source"}}. Only {@code token} is required; other fields a
 * scanner adds are ignored (the partner format grows), so a report is never refused for them.
 */
public record LeakReport(List<Entry> entries) {

    /** Entries per report: a scanner batches, but each genuine key costs a write. */
    public static final int MAX_ENTRIES = 500;

    public record Entry(String token, String type, String url, String source) {

        /** SHA-256 hex of the token: how the answer names it, so that it never echoes a secret. */
        public String tokenHash() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static LeakReport parse(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : StrictJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON.");
        }
        if (json == null || !json.isArray()) {
            throw ApiError.badRequest("A leak report is a JSON array of {\"token\", \"type\", \"url\", \"source\"}.");
        }
        if (json.size() > MAX_ENTRIES) {
            throw ApiError.badRequest("A leak report may hold at most " + MAX_ENTRIES + " entries.");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode item : json) {
            if (!item.isObject()) {
                throw ApiError.badRequest("Each entry of a leak report must be a JSON object.");
            }
            String token = StrictJson.optionalString(item, "token");
            if (token == null) {
                throw ApiError.badRequest("Each entry of a leak report needs a token string.");
            }
            entries.add(new Entry(token, StrictJson.optionalString(item, "type"), StrictJson.optionalString(item, "url"),
                    StrictJson.optionalString(item, "source")));
        }
        return new LeakReport(List.copyOf(entries));
    }
}
