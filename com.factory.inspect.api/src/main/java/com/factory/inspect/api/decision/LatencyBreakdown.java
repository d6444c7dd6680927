package com.factory.inspect.api.decision;

/**
 * Where the time of one frame went, in nanoseconds. Stages that did not run are 0.
 *
 * @param queueNanos from capture until a worker took the frame
 * @param preprocessNanos colour conversion, resize and normalisation
 * @param inferNanos the backend's inference
 * @param decideNanos threshold, actuation and bookkeeping
 * @param totalNanos from capture until the decision was final
 */
public record LatencyBreakdown(long queueNanos, long preprocessNanos, long inferNanos, long decideNanos,
        long totalNanos) {

    /** Only the total is known (fail-safe results). */
    public static LatencyBreakdown totalOnly(long totalNanos) {
        return new LatencyBreakdown(0, 0, 0, 0, totalNanos);
    }
}
