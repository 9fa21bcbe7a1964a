package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class UsageDaysTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
    private static final long DAY = TODAY.toEpochDay();

    @Test
    void countsOfTheSameDayAddUp() {
        UsageDays sum = UsageDays.of(DAY, 3, 1).plus(UsageDays.of(DAY, 4, 2)).plus(UsageDays.of(DAY - 1, 1, 0));
        assertThat(sum.format()).isEqualTo((DAY - 1) + ":1:0;" + DAY + ":7:3");
        assertThat(sum.used()).isEqualTo(8);
        assertThat(sum.refused()).isEqualTo(3);
    }

    @Test
    void parseIsTheInverseOfFormatAndSkipsGarbage() {
        UsageDays days = UsageDays.of(DAY, 5, 2).plus(UsageDays.of(DAY - 3, 0, 9));
        assertThat(UsageDays.parse(days.format())).isEqualTo(days);
        assertThat(UsageDays.parse("x;1:2;" + DAY + ":a:1;" + DAY + ":1:1")).isEqualTo(UsageDays.of(DAY, 1, 1));
        assertThat(UsageDays.parse(null).isEmpty()).isTrue();
        assertThat(UsageDays.parse("").isEmpty()).isTrue();
    }

    @Test
    void trimmingKeepsTheLastThirtyDaysOnly() {
        UsageDays days = UsageDays.of(DAY - 30, 1, 1).plus(UsageDays.of(DAY - 29, 2, 0)).plus(UsageDays.of(DAY + 1, 7, 7));
        assertThat(days.trimmed(TODAY)).isEqualTo(UsageDays.of(DAY - 29, 2, 0));
        assertThat(UsageDays.of(DAY - 40, 1, 1).trimmed(TODAY).isEmpty()).isTrue();
    }

    @Test
    void mergingDoesNotChangeEitherSide() {
        UsageDays a = UsageDays.of(DAY, 1, 0);
        a.plus(UsageDays.of(DAY, 1, 0));
        assertThat(a).isEqualTo(UsageDays.of(DAY, 1, 0));
    }

    @Test
    void jsonListsExactlyThirtyDaysNewestFirstWithZerosForQuietDays() {
        JsonNode json = UsageDays.of(DAY, 12, 3).plus(UsageDays.of(DAY - 29, 4, 0)).plus(UsageDays.of(DAY - 30, 99, 99)).toJson(TODAY);
        JsonNode days = json.get("days");
        assertThat(days).hasSize(30);
        assertThat(days.get(0).toString()).isEqualTo("{\"date\":\"2026-12-02\",\"used\":12,\"refused\":3}");
        assertThat(days.get(1).toString()).isEqualTo("{\"date\":\"2026-12-01\",\"used\":0,\"refused\":0}");
        assertThat(days.get(29).toString()).isEqualTo("{\"date\":\"2026-11-03\",\"used\":4,\"refused\":0}");
    }

    @Test
    void todayIsTheUtcDateOfTheClock() {
        Clock lateInTokyo = Clock.fixed(Instant.parse("2026-12-01T23:30:00Z"), ZoneId.of("Asia/Tokyo"));
        assertThat(UsageDays.today(lateInTokyo)).isEqualTo(LocalDate.of(2026, 12, 1));
    }

    @Test
    void theNewestDayIsReadFromTheEndOfTheStoredValue() {
        assertThat(UsageDays.newestDay(UsageDays.of(DAY - 3, 1, 0).plus(UsageDays.of(DAY, 0, 1)).format())).isEqualTo(DAY);
        assertThat(UsageDays.newestDay("")).isEqualTo(Long.MIN_VALUE);
        assertThat(UsageDays.newestDay(DAY + ":1:1;junk")).isEqualTo(DAY);
    }

    @Test
    void aNegativeDayIsShownAsZero() {
        JsonNode today = UsageDays.of(DAY, -1, 1).toJson(TODAY).get("days").get(0);
        assertThat(today.get("used").asLong()).isZero();
        assertThat(today.get("refused").asLong()).isEqualTo(1);
    }
}
