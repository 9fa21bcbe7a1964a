package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared helpers for the domain tests. */
final class DomainAssertions {

    private DomainAssertions() {
    }

    /** The call is refused with the contract's 400 {@code invalid_request} and a human sentence. */
    static void assertBadRequest(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, error -> {
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.error()).isEqualTo("invalid_request");
            assertThat(error.description()).isNotBlank();
        });
    }

    static JsonNode json(String text) {
        try {
            return StrictJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A JSON string literal for {@code text}, escaped as a client would. */
    static String quoted(String text) {
        return StrictJson.mapper().getNodeFactory().textNode(text).toString();
    }
}
