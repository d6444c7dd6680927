package com.factory.inspect.api.gate;

import java.util.Objects;

/**
 * An installed model as the gate sees it.
 *
 * @param name model name
 * @param version model version
 * @param format model format
 * @param origin where it comes from (bundle id, name and version)
 * @param state its state
 * @param backendId backend it runs on (active) or last ran on (verified), empty if none
 * @param detail why it was rejected, or other notes; empty if none
 */
public record ModelStatus(String name, String version, String format, String origin, State state, String backendId,
        String detail) {

    /** Verification and activation states. */
    public enum State {
        /** The line runs on it. */
        ACTIVE,
        /** Being loaded and warmed up. */
        LOADING,
        /** Loaded, checked and warmed up successfully; not active now. */
        VERIFIED,
        /** Installed, not loaded yet. */
        NOT_VERIFIED,
        /** Failed verification (checksum, format, shapes or warm-up); see the detail. */
        REJECTED
    }

    public ModelStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code name:version}. */
    public String coordinates() {
        return name + ":" + version;
    }
}
