package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6750 §3 challenges (contract 5). */
class BearerChallengeTest {

    @Test
    @DisplayName("no credential: the realm only, no error attribute")
    void noCredential() {
        assertThat(BearerChallenge.of(new ApiError(ErrorCode.UNAUTHORIZED, "send one"), "intellia"))
                .isEqualTo("Bearer realm=\"intellia\"");
    }

    @Test
    @DisplayName("a bad credential: invalid_token")
    void badCredential() {
        assertThat(BearerChallenge.of(new ApiError(ErrorCode.INVALID_TOKEN, "bad"), "intellia"))
                .isEqualTo("Bearer realm=\"intellia\", error=\"invalid_token\"");
    }

    @Test
    @DisplayName("a missing permission: insufficient_scope with the scope; other 403s and 4xx carry no challenge")
    void insufficientScope() {
        assertThat(BearerChallenge.of(ApiError.insufficientScope("assume_role:write", "lacks it"), "intellia"))
                .isEqualTo("Bearer realm=\"intellia\", error=\"insufficient_scope\", scope=\"assume_role:write\"");
        assertThat(BearerChallenge.of(new ApiError(ErrorCode.FORBIDDEN, "not an Owner"), "intellia")).isNull();
        assertThat(BearerChallenge.of(ApiError.badRequest("bad"), "intellia")).isNull();
    }

    @Test
    @DisplayName("a realm name with a quote is escaped")
    void quoting() {
        assertThat(BearerChallenge.of(new ApiError(ErrorCode.INVALID_TOKEN, "bad"), "a\"b")).isEqualTo("Bearer realm=\"a\\\"b\", error=\"invalid_token\"");
    }

    @Test
    @DisplayName("an unsigned leak report: a 401 whose credential is a signature, so no bearer challenge")
    void unsignedLeakReport() {
        assertThat(BearerChallenge.of(new ApiError(ErrorCode.INVALID_SIGNATURE, "sign it"), "intellia")).isNull();
    }
}
