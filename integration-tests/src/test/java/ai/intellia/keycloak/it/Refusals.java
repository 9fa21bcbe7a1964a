package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.Http.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** What every refusal must show: its status and the contract's error body, or introspection's one inactive answer. */
final class Refusals {

    static final String INACTIVE = "{\"active\":false}";

    private Refusals() {
    }

    /** The status, and a JSON body with that {@code error} code and a sentence in {@code error_description}. */
    static void assertRefused(Reply reply, int status, String error) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().path("error").asText()).as(reply.toString()).isEqualTo(error);
        assertThat(reply.json().path("error_description").asText()).as(reply.toString()).isNotBlank();
    }

    /** An introspection refusal: 200 and exactly {@code {"active":false}}, nothing else. */
    static void assertInactive(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body()).as(reply.toString()).isEqualTo(INACTIVE);
    }
}
