package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LastUsesTest {

    @Test
    void formatIsSortedByKeyIdAndParsesBack() {
        Map<String, Long> uses = Map.of("b-key", 200L, "a-key", 100L);
        String text = LastUses.format(uses);
        assertThat(text).isEqualTo("a-key:100,b-key:200");
        assertThat(LastUses.parse(text)).isEqualTo(uses);
    }

    @Test
    void nothingStoredIsNoUses() {
        assertThat(LastUses.parse(null)).isEmpty();
        assertThat(LastUses.parse("")).isEmpty();
        assertThat(LastUses.format(Map.of())).isEmpty();
    }

    @Test
    void malformedEntriesAreSkippedNotFatal() {
        assertThat(LastUses.parse("a:1,:5,b,c:x,d:2,,e:")).containsExactly(Map.entry("a", 1L), Map.entry("d", 2L));
    }

    @Test
    void aKeyListedTwiceKeepsItsLaterUse() {
        assertThat(LastUses.parse("a:5,a:9,a:7")).containsExactly(Map.entry("a", 9L));
    }

    @Test
    void mergeKeepsTheLaterUseOfEachKey() {
        Map<String, Long> merged = LastUses.merge(Map.of("a", 10L, "b", 50L), Map.of("a", 20L, "b", 40L, "c", 30L),
                Set.of("a", "b", "c"));
        assertThat(merged).containsExactly(Map.entry("a", 20L), Map.entry("b", 50L), Map.entry("c", 30L));
    }

    @Test
    void mergeDropsKeysThatNoLongerExistStoredOrSeen() {
        Map<String, Long> merged = LastUses.merge(Map.of("revoked", 10L, "live", 1L), Map.of("gone", 20L, "live", 2L),
                Set.of("live"));
        assertThat(merged).containsExactly(Map.entry("live", 2L));
    }

    @Test
    void notInFindsUsesAnotherWriterOverwrote() {
        Map<String, Long> stored = Map.of("a", 10L, "b", 5L);
        Map<String, Long> mine = Map.of("a", 10L, "b", 6L, "c", 7L, "revoked", 8L);
        assertThat(LastUses.notIn(stored, mine, Set.of("a", "b", "c")))
                .containsExactly(Map.entry("b", 6L), Map.entry("c", 7L));
    }

    @Test
    void notInIsEmptyWhenEverythingLandedOrWasOvertaken() {
        assertThat(LastUses.notIn(Map.of("a", 10L, "b", 99L), Map.of("a", 10L, "b", 50L), Set.of("a", "b"))).isEmpty();
    }

    @Test
    void aHundredKeysFitInAFewKilobytes() {
        Map<String, Long> uses = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            uses.put(java.util.UUID.randomUUID().toString(), 1_800_000_000L + i);
        }
        assertThat(LastUses.format(uses).length()).isLessThan(100 * 48);
        assertThat(LastUses.parse(LastUses.format(uses))).isEqualTo(uses);
    }
}
