package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedMemoTest {

    @Test
    void remembersUntilANewKeyFindsItFullThenStartsOver() {
        BoundedMemo<String, Integer> memo = new BoundedMemo<>(2);
        memo.put("a", 1);
        memo.put("b", 2);
        memo.put("a", 3); // a known key never empties it
        assertThat(memo.get("a")).isEqualTo(3);
        assertThat(memo.size()).isEqualTo(2);

        memo.put("c", 4);

        assertThat(memo.size()).isEqualTo(1);
        assertThat(memo.get("a")).isNull();
        assertThat(memo.get("c")).isEqualTo(4);
    }

    @Test
    void removeForgetsOnlyTheValueItWasToldAbout() {
        BoundedMemo<String, String> memo = new BoundedMemo<>(10);
        memo.put("k", "new");
        memo.remove("k", "old");
        assertThat(memo.get("k")).isEqualTo("new");
        memo.remove("k", "new");
        assertThat(memo.get("k")).isNull();
    }

    @Test
    void capacityMustHoldSomething() {
        assertThatThrownBy(() -> new BoundedMemo<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
