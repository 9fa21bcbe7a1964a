package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RotateKeyRequestTest {

    private static RotateKeyRequest withGrace(String value) {
        return RotateKeyRequest.parse("{\"gracePeriodSeconds\": " + value + "}");
    }

    @ParameterizedTest(name = "body \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\n", "null", " null ", "{}", "{\"gracePeriodSeconds\": null}"})
    void anEmptyOrNullBodyOrGraceMeansNoGrace(String body) {
        assertThat(RotateKeyRequest.parse(body).gracePeriodSeconds()).isZero();
    }

    @ParameterizedTest(name = "gracePeriodSeconds: {0}")
    @ValueSource(ints = {0, 1, 60, 3600, 86_400, 604_799, 604_800})
    void integersFromZeroToOneWeekAreAccepted(int seconds) {
        assertThat(withGrace(Integer.toString(seconds)).gracePeriodSeconds()).isEqualTo(seconds);
    }

    @Test
    void theUpperBoundIsOneWeek() {
        assertThat(RotateKeyRequest.MAX_GRACE_SECONDS).isEqualTo(604_800);
    }

    @ParameterizedTest(name = "gracePeriodSeconds: {0}")
    @ValueSource(strings = {"-1", "604801", "2147483647", "2147483648", "-2147483649", "99999999999999999999999",
            "1.5", "1.0", "0.0", "1e3", "-0.5"})
    void outOfRangeOrFractionalNumbersAreABadRequest(String value) {
        assertBadRequest(() -> withGrace(value));
    }

    @ParameterizedTest(name = "gracePeriodSeconds: {0}")
    @ValueSource(strings = {"\"10\"", "\"\"", "true", "false", "[]", "[10]", "{}", "{\"seconds\": 10}"})
    void nonNumbersAreABadRequest(String value) {
        assertBadRequest(() -> withGrace(value));
    }

    @ParameterizedTest(name = "body {0}")
    @ValueSource(strings = {"{\"grace\": 10}", "{\"gracePeriodSeconds\": 10, \"x\": 1}", "{\"GracePeriodSeconds\": 10}",
            "{\"description\": \"new\"}"})
    void anUnknownFieldIsABadRequest(String body) {
        assertBadRequest(() -> RotateKeyRequest.parse(body));
    }

    @ParameterizedTest(name = "body {0}")
    @ValueSource(strings = {"[]", "10", "\"10\"", "true", "{", "{\"gracePeriodSeconds\": }", "{\"gracePeriodSeconds\": 10} x",
            "{\"gracePeriodSeconds\": 10, \"gracePeriodSeconds\": 20}"})
    void aMalformedOrNonObjectBodyIsABadRequest(String body) {
        assertBadRequest(() -> RotateKeyRequest.parse(body));
    }
}
