package com.factory.inspect.api.decision;

/** How a result came about. Everything but {@link #DECIDED} means the fail-safe was applied. */
public enum Outcome {
    /** The model decided before the deadline. */
    DECIDED,
    /** No decision was ready before the deadline. */
    DEADLINE_MISSED,
    /** The frame was dropped from a full camera queue (overload). */
    DROPPED,
    /** No model was active. */
    NO_MODEL,
    /** The backend failed on this frame. */
    INFERENCE_FAILED
}
