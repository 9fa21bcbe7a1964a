package ai.intellia.keycloak.apikey.domain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe map of values worth remembering per node, bounded without bookkeeping on reads:
 * when a new key finds it full, it is emptied and refills from live traffic. Threads adding at
 * the same moment may overshoot the capacity by one entry each.
 */
public final class BoundedMemo<K, V> {

    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private final int capacity;

    public BoundedMemo(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public V get(K key) {
        return entries.get(key);
    }

    public void put(K key, V value) {
        if (entries.size() >= capacity && !entries.containsKey(key)) {
            entries.clear();
        }
        entries.put(key, value);
    }

    /** The entry, added by {@code create} when missing (one entry per key even when threads race). */
    public V getOrAdd(K key, java.util.function.Function<K, V> create) {
        V value = entries.get(key);
        if (value != null) {
            return value;
        }
        if (entries.size() >= capacity) {
            entries.clear();
        }
        return entries.computeIfAbsent(key, create);
    }

    /** Forgets the entry only if it still holds {@code value}. */
    public void remove(K key, V value) {
        entries.remove(key, value);
    }

    public int size() {
        return entries.size();
    }
}
