package ai.intellia.keycloak.apikey.events;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchQueueTest {

    private final BatchQueue<String> queue = new BatchQueue<>(3);

    @Test
    @DisplayName("given queued items then a drain returns them oldest first and empties the queue")
    void drainsInOrder() {
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");

        assertThat(queue.drain(10)).containsExactly("a", "b", "c");
        assertThat(queue.size()).isZero();
        assertThat(queue.drain(10)).isEmpty();
    }

    @Test
    @DisplayName("given more items than a batch then a drain takes one batch and leaves the rest in order")
    void drainsOneBatch() {
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");

        assertThat(queue.drain(2)).containsExactly("a", "b");
        assertThat(queue.drain(2)).containsExactly("c");
    }

    @Test
    @DisplayName("given a full queue then an offer is refused (for the caller to write at once) and nothing is dropped")
    void refusesWhenFull() {
        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        assertThat(queue.offer("c")).isTrue();

        assertThat(queue.offer("d")).isFalse();
        assertThat(queue.drain(10)).containsExactly("a", "b", "c");
        assertThat(queue.offer("d")).as("room again after a flush").isTrue();
    }

    @Test
    @DisplayName("given a batch that failed then restoring it puts it back ahead of newer items, in its order")
    void restoresAtTheHead() {
        queue.offer("a");
        queue.offer("b");
        List<String> failed = queue.drain(10);
        queue.offer("c");

        queue.restore(failed);

        assertThat(queue.drain(10)).containsExactly("a", "b", "c");
    }

    @Test
    @DisplayName("given a restore into a queue refilled meanwhile then no item is lost, even above the capacity")
    void restoreNeverDrops() {
        queue.offer("a");
        queue.offer("b");
        List<String> failed = queue.drain(10);
        queue.offer("c");
        queue.offer("d");
        queue.offer("e");

        queue.restore(failed);

        assertThat(queue.size()).isEqualTo(5);
        assertThat(queue.offer("f")).isFalse();
        assertThat(queue.drain(10)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    @DisplayName("given the node stopping then offers are refused and what was queued is still drained")
    void shutdownDrains() {
        queue.offer("a");
        queue.offer("b");

        queue.close();

        assertThat(queue.offer("c")).isFalse();
        assertThat(queue.drain(10)).containsExactly("a", "b");
        assertThat(queue.size()).isZero();
    }

    @Test
    @DisplayName("given a capacity below one then the queue is refused")
    void positiveCapacity() {
        assertThatThrownBy(() -> new BatchQueue<String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
