package com.factory.inspect.api.gate;

import java.util.Objects;

/**
 * One camera as the gate sees it.
 *
 * @param cameraId camera id
 * @param kind camera implementation
 * @param state {@code STREAMING}, {@code STALLED} (no frame for longer than expected),
 *        {@code FAILED} (the camera reported a fault) or {@code IDLE}
 * @param configuredFps nominal frame rate
 * @param measuredFps frames per second received recently
 * @param frames frames received since the statistics were reset
 * @param dropped frames dropped from its full queue
 * @param missedDeadlines frames not decided before the deadline
 * @param failed results with verdict fail
 * @param detail why it is stalled or failed; empty otherwise
 */
public record CameraStatus(String cameraId, String kind, String state, double configuredFps, double measuredFps,
        long frames, long dropped, long missedDeadlines, long failed, String detail) {
    public CameraStatus {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }
}
