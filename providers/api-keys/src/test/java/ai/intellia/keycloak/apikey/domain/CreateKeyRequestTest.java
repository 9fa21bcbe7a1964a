package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static ai.intellia.keycloak.apikey.domain.DomainAssertions.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CreateKeyRequestTest {

    private static final List<String> KNOWN = ApiKeySettings.DEFAULTS.resources();
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private static CreateKeyRequest parse(String body) {
        return CreateKeyRequest.parse(body, KNOWN, NOW);
    }

    private static CreateKeyRequest withDescription(String description) {
        return parse("{\"description\": " + quoted(description) + "}");
    }

    private static CreateKeyRequest withExpiry(String expiresAt) {
        return parse("{\"description\": \"d\", \"expiresAt\": " + quoted(expiresAt) + "}");
    }

    @Test
    void theContractExampleParses() {
        CreateKeyRequest request = parse("""
                {
                  "description": "Production Integration",
                  "permissions": {"agents": {"read": true, "write": false}, "assume_role": {"read": false, "write": true}},
                  "expiresAt": "2027-01-01T00:00:00Z"
                }
                """);
        assertThat(request.description()).isEqualTo("Production Integration");
        assertThat(request.permissions().scope(KNOWN)).isEqualTo("agents:read assume_role:write");
        assertThat(request.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Nested
    @DisplayName("description")
    class Description {

        @Test
        void isStoredTrimmed() {
            assertThat(withDescription("  Production Integration \t\n").description()).isEqualTo("Production Integration");
        }

        @Test
        void innerWhitespaceIsKept() {
            assertThat(withDescription("a  b").description()).isEqualTo("a  b");
        }

        @ParameterizedTest(name = "{0} characters")
        @ValueSource(ints = {1, 2, 254, 255})
        void oneTo255CharactersAreAccepted(int length) {
            assertThat(withDescription("x".repeat(length)).description()).hasSize(length);
        }

        @Test
        void lengthIsCountedAfterTrimming() {
            assertThat(withDescription("   " + "x".repeat(255) + "   ").description()).hasSize(255);
        }

        @ParameterizedTest(name = "{0} characters")
        @ValueSource(ints = {256, 1000})
        void moreThan255CharactersIsABadRequest(int length) {
            assertBadRequest(() -> withDescription("x".repeat(length)));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"", " ", "   ", "\t", "\n \r\n", "\u2003"})
        void blankIsABadRequest(String description) {
            assertBadRequest(() -> withDescription(description));
        }

        @Test
        void missingIsABadRequest() {
            assertBadRequest(() -> parse("{}"));
            assertBadRequest(() -> parse("{\"permissions\": {}}"));
        }

        @ParameterizedTest(name = "description: {0}")
        @ValueSource(strings = {"null", "42", "true", "{}", "[]", "[\"a\"]", "{\"text\": \"a\"}"})
        void nonStringIsABadRequest(String value) {
            assertBadRequest(() -> parse("{\"description\": " + value + "}"));
        }

        @Test
        void controlCharactersInsideAreABadRequest() {
            assertBadRequest(() -> withDescription("line one\nline two"));
            assertBadRequest(() -> withDescription("nul\u0000byte"));
        }

        @Test
        void unicodeIsKept() {
            assertThat(withDescription("Intégration 🚀 日本").description()).isEqualTo("Intégration 🚀 日本");
        }
    }

    @Nested
    @DisplayName("permissions")
    class PermissionsField {

        @Test
        void areOptionalAndThenGrantNothing() {
            assertThat(withDescription("d").permissions()).isEqualTo(Permissions.none());
        }

        @Test
        void areParsedStrictly() {
            assertBadRequest(() -> parse("{\"description\": \"d\", \"permissions\": {\"unknown\": {\"read\": true}}}"));
            assertBadRequest(() -> parse("{\"description\": \"d\", \"permissions\": {\"agents\": {\"read\": \"true\"}}}"));
            assertBadRequest(() -> parse("{\"description\": \"d\", \"permissions\": []}"));
        }
    }

    @Nested
    @DisplayName("expiresAt")
    class ExpiresAt {

        @Test
        void isOptional() {
            assertThat(withDescription("d").expiresAt()).isNull();
            assertThat(parse("{\"description\": \"d\", \"expiresAt\": null}").expiresAt()).isNull();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "2027-01-01T00:00:00Z,         2027-01-01T00:00:00Z",
                "2027-01-01T02:00:00+02:00,    2027-01-01T00:00:00Z",
                "2026-12-31T19:00:00-05:00,    2027-01-01T00:00:00Z",
                "2027-01-01T00:00:00+00:00,    2027-01-01T00:00:00Z",
                "2027-01-01T00:00Z,            2027-01-01T00:00:00Z",
                "2027-01-01T00:00:00.999Z,     2027-01-01T00:00:00Z",
                "2026-11-28T10:00:01Z,         2026-11-28T10:00:01Z"
        })
        void acceptsIso8601WithZOrOffsetInTheFuture(String text, Instant expected) {
            assertThat(withExpiry(text).expiresAt()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"2026-11-28T10:00:00Z", "2026-11-28T09:59:59Z", "2026-11-28T12:00:00+02:00",
                "2000-01-01T00:00:00Z", "1970-01-01T00:00:00Z"})
        void nowOrThePastIsABadRequest(String text) {
            assertBadRequest(() -> withExpiry(text));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"", " ", "tomorrow", "2027-01-01", "2027-01-01T00:00:00", "2027-13-01T00:00:00Z",
                "2027-02-30T00:00:00Z", "01/01/2027", "1798761600", "2027-01-01 00:00:00Z", "2027-01-01T00:00:00Z[UTC]x"})
        void garbageIsABadRequest(String text) {
            assertBadRequest(() -> withExpiry(text));
        }

        @ParameterizedTest(name = "expiresAt: {0}")
        @ValueSource(strings = {"1798761600", "1798761600000", "true", "{}", "[\"2027-01-01T00:00:00Z\"]"})
        void nonStringIsABadRequest(String value) {
            assertBadRequest(() -> parse("{\"description\": \"d\", \"expiresAt\": " + value + "}"));
        }
    }

    @Nested
    @DisplayName("body")
    class Body {

        @ParameterizedTest(name = "field \"{0}\"")
        @ValueSource(strings = {"name", "Description", "key", "id", "organizationId", "createdBy", "prefix", ""})
        void anUnknownTopLevelFieldIsABadRequest(String field) {
            assertBadRequest(() -> parse("{\"description\": \"d\", " + quoted(field) + ": \"x\"}"));
        }

        @ParameterizedTest(name = "body \"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {"  ", "null", "{", "}", "{\"description\": }", "{\"description\": \"d\",}", "not json",
                "{'description': 'd'}", "{description: \"d\"}", "{\"description\": \"d\"", "\"description\"", "42", "true"})
        void aMissingMalformedOrNonObjectBodyIsABadRequest(String body) {
            assertBadRequest(() -> parse(body));
        }

        @ParameterizedTest(name = "body {0}")
        @ValueSource(strings = {"[]", "[{\"description\": \"d\"}]"})
        void aJsonArrayIsABadRequest(String body) {
            assertBadRequest(() -> parse(body));
        }

        @Test
        void duplicateTopLevelKeysAreABadRequest() {
            assertBadRequest(() -> parse("{\"description\": \"a\", \"description\": \"b\"}"));
        }

        @Test
        void duplicateKeysInsidePermissionsAreABadRequest() {
            assertBadRequest(() -> parse("{\"description\": \"d\", \"permissions\": {\"agents\": {\"read\": true}, \"agents\": {\"read\": false}}}"));
            assertBadRequest(() -> parse("{\"description\": \"d\", \"permissions\": {\"agents\": {\"read\": true, \"read\": false}}}"));
        }

        @ParameterizedTest(name = "trailing \"{0}\"")
        @ValueSource(strings = {" {}", "{}", "x", " ]", "}", " 1", " null", ",", "\"x\""})
        void trailingGarbageIsABadRequest(String trailing) {
            assertBadRequest(() -> parse("{\"description\": \"d\"}" + trailing));
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertThat(parse("{\"description\": \"d\"}  \n").description()).isEqualTo("d");
        }

        @Test
        void deeplyNestedJsonIsABadRequestNotACrash() {
            String deep = "[".repeat(30_000) + "]".repeat(30_000);
            assertBadRequest(() -> parse("{\"description\": \"d\", \"permissions\": " + deep + "}"));
            assertBadRequest(() -> parse("{\"description\": \"d\", \"extra\": " + deep + "}"));
        }

        @Test
        void aHugeNumberIsABadRequestNotACrash() {
            assertBadRequest(() -> parse("{\"description\": \"d\", \"expiresAt\": 1" + "0".repeat(5000) + "}"));
        }
    }
}
