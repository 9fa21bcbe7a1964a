package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6750 §3 challenges (contract 5). */
class BearerChallengeTest {

    @Test
    @DisplayName("no credential: the realm only, no error attribute")
    void noCredential() {
        assertThat(BearerChallenge.of(new ApiError(401, BearerChallenge.NO_CREDENTIAL, "send one"), "intellia"))
                .isEqualTo("Bearer realm=\"intellia\"");
    }

    @Test
    @DisplayName("a bad credential: invalid_token")
    void badCredential() {
        assertThat(BearerChallenge.of(new ApiError(401, "invalid_token", "bad"), "intellia"))
                .isEqualTo("Bearer realm=\"intellia\", error=\"invalid_token\"");
    }

    @Test
    @DisplayName("a missing permission: insufficient_scope with the scope; other 403s and 4xx carry no challenge")
    void insufficientScope() {
        assertThat(BearerChallenge.of(ApiError.insufficientScope("assume_role:write", "lacks it"), "intellia"))
                .isEqualTo("Bearer realm=\"intellia\", error=\"insufficient_scope\", scope=\"assume_role:write\"");
        assertThat(BearerChallenge.of(new ApiError(403, "forbidden", "not an Owner"), "intellia")).isNull();
        assertThat(BearerChallenge.of(ApiError.badRequest("bad"), "intellia")).isNull();
    }

    @Test
    @DisplayName("a realm name with a quote is escaped")
    void quoting() {
        assertThat(BearerChallenge.of(new ApiError(401, "invalid_token", "bad"), "a\"b")).isEqualTo("Bearer realm=\"a\\\"b\", error=\"invalid_token\"");
    }
}
