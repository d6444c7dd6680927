package com.factory.inspect.api.gate;

import java.time.Duration;
import java.util.Objects;

/**
 * The gate at a glance.
 *
 * @param uptime time since the gate started
 * @param cameras cameras attached
 * @param framesPerSecond frames inspected per second recently, all cameras together
 * @param modelName active model name, empty if none
 * @param modelVersion active model version, empty if none
 * @param backendId backend running the active model, empty if none
 * @param modelState e.g. {@code active}, {@code loading surface:1.0.0 on onnxruntime-cpu},
 *        {@code no model: ...}
 * @param threshold decision threshold in use
 * @param deadlineMillis reject deadline counted from capture
 * @param statistics counters and latencies
 */
public record GateStatus(Duration uptime, int cameras, double framesPerSecond, String modelName,
        String modelVersion, String backendId, String modelState, double threshold, long deadlineMillis,
        Statistics statistics) {
    public GateStatus {
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(modelState, "modelState");
        Objects.requireNonNull(statistics, "statistics");
    }
}
