package ai.intellia.keycloak.apikey.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ListIterator;

/**
 * A bounded first-in first-out queue of items waiting for a batch write. It never drops: an
 * item it refuses ({@link #offer} false: full, or closed because the node is stopping) is for
 * the caller to write at once.
 */
final class BatchQueue<E> {

    private final int capacity;
    private final Deque<E> items = new ArrayDeque<>();
    private boolean closed;

    BatchQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Queues {@code item} unless the queue is full or closed. */
    synchronized boolean offer(E item) {
        if (closed || items.size() >= capacity) {
            return false;
        }
        items.addLast(item);
        return true;
    }

    /** Takes out up to {@code max} items, oldest first. */
    synchronized List<E> drain(int max) {
        List<E> batch = new ArrayList<>(Math.min(max, items.size()));
        while (batch.size() < max && !items.isEmpty()) {
            batch.add(items.pollFirst());
        }
        return batch;
    }

    /**
     * Puts a batch that could not be written back at the head, in its order, ahead of what came
     * since. It may briefly exceed the capacity (by at most one batch): these items were
     * accepted once and are not to be lost.
     */
    synchronized void restore(List<E> batch) {
        ListIterator<E> it = batch.listIterator(batch.size());
        while (it.hasPrevious()) {
            items.addFirst(it.previous());
        }
    }

    /** From now on every offer is refused; what is queued stays to be drained. */
    synchronized void close() {
        closed = true;
    }

    synchronized int size() {
        return items.size();
    }
}
