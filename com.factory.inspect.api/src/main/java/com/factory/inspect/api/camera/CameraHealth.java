package com.factory.inspect.api.camera;

import java.util.Objects;

/**
 * A camera's own view of its health.
 *
 * @param state current state
 * @param framesDelivered frames handed to the sink since the camera was opened
 * @param detail what is wrong when {@link State#FAILED}, else a short note (may be empty)
 */
public record CameraHealth(State state, long framesDelivered, String detail) {

    /** Camera states. */
    public enum State {
        /** Not opened by a sink. */
        IDLE,
        /** Delivering frames. */
        STREAMING,
        /** Cannot deliver frames; {@link CameraHealth#detail()} says why. */
        FAILED
    }

    public CameraHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }
}
