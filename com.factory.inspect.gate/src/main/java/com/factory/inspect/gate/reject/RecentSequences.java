package com.factory.inspect.gate.reject;

/** The last few sequence numbers fired for one camera, to make firing idempotent. */
final class RecentSequences {
    private final long[] ring;
    private int next;
    private int size;

    RecentSequences(int capacity) {
        this.ring = new long[capacity];
    }

    /** Remembers {@code sequence}; false if it was already among the recent ones. */
    synchronized boolean add(long sequence) {
        for (int i = 0; i < size; i++) {
            if (ring[i] == sequence) {
                return false;
            }
        }
        ring[next] = sequence;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        return true;
    }
}
