package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static ai.intellia.keycloak.apikey.domain.DomainAssertions.quoted;
import static org.assertj.core.api.Assertions.assertThat;

class AssumeRoleRequestTest {

    @Test
    void fullBodyIsParsedAndNormalized() {
        AssumeRoleRequest request = AssumeRoleRequest.parse(
                "{\"userId\": \"user-123\", \"userEmail\": \" User@Example.com \", \"userName\": \" John Doe \"}");
        assertThat(request).isEqualTo(new AssumeRoleRequest("user-123", "User@Example.com", "John Doe"));
    }

    @Test
    void onlyUserIdIsRequired() {
        assertThat(AssumeRoleRequest.parse("{\"userId\": \"u\"}")).isEqualTo(new AssumeRoleRequest("u", null, null));
    }

    @Test
    void userIdIsKeptVerbatim() {
        assertThat(AssumeRoleRequest.of(" spaced id ", null, null).userId()).isEqualTo(" spaced id ");
        assertThat(AssumeRoleRequest.of("x".repeat(255), null, null).userId()).hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"userId\": \"\"}", "{\"userId\": null}", "{\"userId\": 5}", "{\"userId\": \"a\\u0000b\"}",
            "{\"userId\": \"a\\nb\"}", "{\"userId\": \"u\", \"role\": \"admin\"}", "{\"userId\": \"u\", \"userEmail\": 1}",
            "{\"userId\": \"u\", \"userName\": [\"x\"]}", "[]", "{", ""})
    void badBodiesAreRefused(String body) {
        assertBadRequest(() -> AssumeRoleRequest.parse(body));
    }

    @Test
    void overlongUserIdIsRefused() {
        assertBadRequest(() -> AssumeRoleRequest.parse("{\"userId\": " + quoted("x".repeat(256)) + "}"));
    }

    @Test
    void overlongUserNameIsRefused() {
        assertBadRequest(() -> AssumeRoleRequest.of("u", null, "n".repeat(256)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@example..com", "a@.com"})
    void invalidEmailsAreRefused(String email) {
        assertBadRequest(() -> AssumeRoleRequest.of("u", email, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.com", "first.last+tag@sub.example.co.uk", "x@a.io"})
    void validEmailsAreAccepted(String email) {
        assertThat(AssumeRoleRequest.of("u", email, null).userEmail()).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\uD800", "\uDC00b", "x\uDC00\uD800y", "\uFFFD", "id-\uFFFD"})
    void userIdsThatAreNotValidUnicodeAreRefused(String userId) {
        assertBadRequest(() -> AssumeRoleRequest.of(userId, null, null));
    }

    @Test
    void loneSurrogateAndQuestionMarkAreNotTheSameUser() {
        assertBadRequest(() -> AssumeRoleRequest.parse("{\"userId\": \"\\ud800\"}"));
        assertThat(AssumeRoleRequest.parse("{\"userId\": \"?\"}").userId()).isEqualTo("?");
    }

    @Test
    void pairedSurrogatesAreFine() {
        assertThat(AssumeRoleRequest.of("emoji-\uD83D\uDE00", null, "Name \uD83D\uDE00").userId()).isEqualTo("emoji-\uD83D\uDE00");
    }

    @Test
    void loneSurrogatesInNameOrEmailAreRefused() {
        assertBadRequest(() -> AssumeRoleRequest.of("u", null, "a\uD800"));
        assertBadRequest(() -> AssumeRoleRequest.of("u", "a\uD800@example.com", null));
    }

    @Test
    void emailThatKeycloakWouldLowerCasePastTheLimitIsRefused() {
        String email = "a".repeat(10) + "@" + "\u0130".repeat(196) + ".example"; // 215 chars, 411 once lower-cased
        assertThat(AssumeRoleRequest.of("u", email.replace('\u0130', 'i'), null).userEmail()).hasSize(215);
        assertBadRequest(() -> AssumeRoleRequest.of("u", email, null));
        assertThat(AssumeRoleRequest.of("u", "\u0130".repeat(10) + "@example.com", null).userEmail()).startsWith("\u0130");
    }
}
