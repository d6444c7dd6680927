package com.factory.inspect.api.gate;

import java.util.Objects;

/**
 * Latency percentiles of one stage, in milliseconds.
 *
 * @param stage {@code queue}, {@code preprocess}, {@code infer}, {@code decide} or {@code total}
 * @param p50Ms median
 * @param p99Ms 99th percentile
 * @param maxMs maximum
 */
public record StageLatency(String stage, double p50Ms, double p99Ms, double maxMs) {
    public StageLatency {
        Objects.requireNonNull(stage, "stage");
    }
}
