package com.factory.inspect.gate.internal;

/**
 * A moving average of how long one frame takes a worker (preprocessing + inference), so a worker
 * can tell a frame it cannot finish before the fail-safe instant and leave it to the fail-safe
 * instead of spending a core on a result that would be thrown away. Updated racily by the
 * workers: an estimate, not a count.
 */
final class ServiceTime {
    private static final double SMOOTHING = 0.05;
    private volatile double averageNanos;

    void record(long nanos) {
        double average = averageNanos;
        averageNanos = average == 0 ? nanos : average + SMOOTHING * (nanos - average);
    }

    /** The average, 0 before the first frame. */
    long averageNanos() {
        return (long) averageNanos;
    }
}
