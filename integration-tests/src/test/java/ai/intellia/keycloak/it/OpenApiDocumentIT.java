package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.Http.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The oracle of {@link OpenApiIT} without a server: it accepts a documented answer and refuses
 * each kind of drift, so that OpenApiIT passing means something.
 */
class OpenApiDocumentIT {

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    private static final String GET = "GET /realms/{realm}/orgs/{org}/api-keys/{id}";
    private static final String CREATE = "POST /realms/{realm}/orgs/{org}/api-keys";
    private static final String KEY = "{\"id\":\"a\",\"prefix\":\"ik_0123456789abc\",\"description\":\"d\","
            + "\"permissions\":{\"agents\":{\"read\":true,\"write\":false}},\"organizationId\":\"o\","
            + "\"createdAt\":\"2026-12-02T04:37:56Z\",\"createdBy\":\"u\",\"expiresAt\":null,\"lastUsedAt\":null,"
            + "\"allowedCidrs\":null,\"rateLimits\":null}";

    private static Reply json(int status, String body, String... headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.put("Content-Type", List.of("application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new Reply(status, map, body);
    }

    private static String with(String field) {
        return KEY.substring(0, KEY.length() - 1) + "," + field + "}";
    }

    @Test
    @DisplayName("given documented answers then they pass: a key object, one in its grace, a new key with Location, an error")
    void acceptsDocumentedAnswers() {
        assertThatCode(() -> {
            DOCUMENT.check(GET, json(200, KEY));
            DOCUMENT.check(GET, json(200, with("\"rotatedTo\":\"b\"")));
            DOCUMENT.check(CREATE, json(201, with("\"key\":\"ik_abc\""), "Location", "http://kc/realms/r/orgs/o/api-keys/a"));
            DOCUMENT.check(GET, json(404, "{\"error\":\"api_key_not_found\",\"error_description\":\"No such API key.\"}"));
        }).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("given an undocumented field, a key in a GET, a bad date or a missing field then the body is refused")
    void refusesBodiesThatDrift() {
        for (String body : List.of(with("\"colour\":1"), with("\"key\":\"ik_abc\""), KEY.replace("2026-12-02T04:37:56Z", "yesterday"),
                KEY.replace(",\"lastUsedAt\":null", ""), KEY.replace("{\"read\":true,\"write\":false}", "{\"read\":true}"))) {
            assertThatThrownBy(() -> DOCUMENT.check(GET, json(200, body))).as(body).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    @DisplayName("given an undocumented status, an error without description or a 201 without Location then it is refused")
    void refusesStatusesAndHeadersThatDrift() {
        assertThatThrownBy(() -> DOCUMENT.check(GET, json(500, "{}"))).hasMessageContaining("does not list");
        assertThatThrownBy(() -> DOCUMENT.check(GET, json(404, "{\"error\":\"api_key_not_found\"}"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> DOCUMENT.check(GET, json(404, "{\"error\":\"made_up\",\"error_description\":\"x\"}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> DOCUMENT.check(CREATE, json(201, with("\"key\":\"ik_abc\"")))).hasMessageContaining("Location");
    }

    @Test
    @DisplayName("then the document lists the twelve operations of the organization and admin resources")
    void listsTheOperations() {
        assertThat(DOCUMENT.operations()).hasSize(13).contains(GET, CREATE, "POST /realms/{realm}/api-keys/leak-reports", "POST /realms/{realm}/orgs/{org}/assume-role",
                "PUT /admin/realms/{realm}/api-keys/settings");
    }
}
