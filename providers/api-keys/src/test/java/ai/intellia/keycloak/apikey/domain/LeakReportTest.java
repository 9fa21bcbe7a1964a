package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeakReportTest {

    @Test
    void readsGithubsPartnerFormatIgnoringFieldsItMayAdd() {
        LeakReport report = LeakReport.parse("[{\"token\":\"ik_abc\",\"type\":\"intellia_api_key\",\"url\":\"https://x/y\","
                + "\"source\":\"content\",\"extra\":1}]");
        assertThat(report.entries()).containsExactly(new LeakReport.Entry("ik_abc", "intellia_api_key", "https://x/y", "content"));
    }

    @Test
    void namesATokenByItsSha256Hex() {
        // echo -n abc | sha256sum
        assertThat(new LeakReport.Entry("abc", null, null, null).tokenHash())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void refusesWhatIsNotAnArrayOfEntriesWithATokenString() {
        for (String body : new String[]{"", "{}", "[1]", "[{\"type\":\"x\"}]", "[{\"token\":5}]", "[", "[{\"token\":\"a\",\"url\":3}]"}) {
            assertThatThrownBy(() -> LeakReport.parse(body)).as(body)
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void boundsTheNumberOfEntries() {
        String entry = "{\"token\":\"t\"}";
        assertThat(LeakReport.parse("[" + String.join(",", java.util.Collections.nCopies(LeakReport.MAX_ENTRIES, entry)) + "]")
                .entries()).hasSize(LeakReport.MAX_ENTRIES);
        assertThatThrownBy(() -> LeakReport.parse("[" + String.join(",", java.util.Collections.nCopies(LeakReport.MAX_ENTRIES + 1, entry)) + "]"))
                .isInstanceOf(ApiError.class);
    }
}
