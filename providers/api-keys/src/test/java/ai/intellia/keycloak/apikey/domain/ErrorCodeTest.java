package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    @DisplayName("every code is a distinct snake_case word with a 4xx or 5xx status")
    void codesAreDistinctAndWellFormed() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"));
        assertThat(Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::status)).allMatch(status -> status >= 400 && status < 600);
    }

    @Test
    @DisplayName("a refusal takes its status and error from its code")
    void refusalCarriesItsCode() {
        ApiError error = new ApiError(ErrorCode.KEY_ALREADY_ROTATED, "in grace");
        assertThat(error.status()).isEqualTo(409);
        assertThat(error.error()).isEqualTo("key_already_rotated");
        assertThat(error.description()).isEqualTo("in grace");
        assertThat(ApiError.badRequest("bad").code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(ApiError.insufficientScope(Permissions.ASSUME_ROLE_SCOPE, "lacks it").code()).isEqualTo(ErrorCode.FORBIDDEN);
    }
}
