package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {

    @Test
    void defaultsAreFirstZeroAndMax100() {
        assertThat(Paging.parse(null, null)).isEqualTo(new Paging(0, 100));
    }

    @ParameterizedTest(name = "first={0} max={1} -> ({2}, {3})")
    @CsvSource(nullValues = "-", value = {
            "0,    1,    0,  1",
            "10,   -,    10, 100",
            "-,    50,   0,  50",
            "5,    1000, 5,  1000",
            "5,    1001, 5,  1000",
            "0,    5000, 0,  1000",
            "007,  010,  7,  10"
    })
    void validValuesAreUsedAndMaxIsCappedAt1000(String first, String max, int expectedFirst, int expectedMax) {
        assertThat(Paging.parse(first, max)).isEqualTo(new Paging(expectedFirst, expectedMax));
    }

    @ParameterizedTest(name = "first={0}")
    @ValueSource(strings = {"-1", "1.5", "abc", "", " ", "0x10", "1e3", "-99999999999999999999", "1 2", "١"})
    void invalidFirstIsABadRequest(String first) {
        assertBadRequest(() -> Paging.parse(first, null));
    }

    @ParameterizedTest(name = "max={0}")
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "", "-99999999999999999999", "0x10", "١"})
    void invalidMaxIsABadRequest(String max) {
        assertBadRequest(() -> Paging.parse(null, max));
    }

    @Test
    void aHugeFirstIsCappedNotRefused() {
        assertThat(Paging.parse("99999999999999999999999999999", null).first()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Paging.parse("2147483648", null).first()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aHugeMaxIsCappedNotRefused() {
        assertThat(Paging.parse(null, "99999999999999999999999999999").max()).isEqualTo(1000);
    }
}
