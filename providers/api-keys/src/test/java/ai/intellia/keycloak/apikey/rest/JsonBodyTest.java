package ai.intellia.keycloak.apikey.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.intellia.keycloak.apikey.domain.ApiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void validUtf8IsDecoded() {
        assertThat(JsonBody.utf8("{\"userId\": \"\u00e9\u20ac\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"userId\": \"\u00e9\u20ac\uD83D\uDE00\"}");
    }

    @Test
    void invalidUtf8IsA400NotAReplacementCharacter() {
        byte[] invalid = {'{', '"', 'u', 's', 'e', 'r', 'I', 'd', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThatThrownBy(() -> JsonBody.utf8(invalid)).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
        byte[] encodedSurrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThatThrownBy(() -> JsonBody.utf8(encodedSurrogate)).isInstanceOf(ApiError.class);
    }
}
