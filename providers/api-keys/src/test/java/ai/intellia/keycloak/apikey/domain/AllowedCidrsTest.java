package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedCidrsTest {

    private static AllowedCidrs parse(String json) {
        try {
            JsonNode node = StrictJson.mapper().readTree(json);
            return AllowedCidrs.parse(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource({
            "203.0.113.0/24, 203.0.113.7, true",
            "203.0.113.0/24, 203.0.114.1, false",
            "203.0.113.5, 203.0.113.5, true",
            "203.0.113.5, 203.0.113.6, false",
            "10.0.0.0/9, 10.127.255.255, true",
            "10.0.0.0/9, 10.128.0.0, false",
            "0.0.0.0/0, 198.51.100.1, true",
            "2001:db8::/32, 2001:db8::5, true",
            "2001:db8::/32, 2001:db9::5, false",
            "2001:db8::5, 2001:db8:0:0:0:0:0:5, true",
            "203.0.113.0/24, ::ffff:203.0.113.9, true",
            "::ffff:203.0.113.0/120, 203.0.113.9, true",
            "203.0.113.0/24, 2001:db8::5, false",
            "2001:db8::/32, 203.0.113.9, false",
            "203.0.113.0/24, not-an-address, false",
            "203.0.113.0/24, '', false"
    })
    void matchesAddressesInsideTheBlocks(String cidr, String address, boolean allowed) {
        assertThat(parse("[\"" + cidr + "\"]").allows(address)).isEqualTo(allowed);
    }

    @Test
    @DisplayName("absent or null is no restriction; an empty list allows nothing")
    void nullAndEmpty() {
        assertThat(AllowedCidrs.parse(null)).isNull();
        assertThat(parse("null")).isNull();
        assertThat(parse("[]").allows("127.0.0.1")).isFalse();
    }

    @Test
    @DisplayName("blocks are kept canonical: host bits cleared, bare addresses get their full length, duplicates dropped")
    void canonicalForm() {
        assertThat(parse("[\"203.0.113.77/24\", \"203.0.113.0/24\", \"198.51.100.1\", \"2001:DB8::1/32\"]").texts())
                .containsExactly("203.0.113.0/24", "198.51.100.1/32", "2001:db8:0:0:0:0:0:0/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"203.0.113.0/24\"", "{}", "[1]", "[null]", "[\"203.0.113.0/33\"]", "[\"2001:db8::/129\"]",
            "[\"256.0.0.1\"]", "[\"example.com\"]", "[\"localhost\"]", "[\"203.0.113.0/\"]", "[\"203.0.113.0/-1\"]",
            "[\"2001:db8::zz\"]", "[\"::ffff:203.0.113.0/64\"]", "[\"1.2.3\"]", "[\"fe80::1%eth0\"]", "[\"\"]"})
    void refusesWhatIsNotACidrList(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }

    @Test
    void atMostFiftyEntries() {
        StringBuilder fifty = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            fifty.append(i == 0 ? "" : ",").append("\"10.0.").append(i).append(".0/24\"");
        }
        String fiftyOne = fifty.append("]").toString();
        String exactlyFifty = fiftyOne.replace(",\"10.0.50.0/24\"", "");
        assertThat(parse(exactlyFifty).texts()).hasSize(50);
        assertThatThrownBy(() -> parse(fiftyOne)).isInstanceOf(ApiError.class);
    }
}
