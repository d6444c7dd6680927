package com.factory.inspect.api.inference;

import java.util.Objects;

/**
 * Whether a backend can run models here, and if not, why.
 *
 * @param available true when {@link InferenceBackend#load} can succeed
 * @param device what the backend runs on when available (e.g. {@code CPU x86_64, 2 threads}),
 *        empty otherwise
 * @param reason why the backend is unavailable (e.g. {@code libnvinfer.so.10 not found}),
 *        empty when available
 */
public record Availability(boolean available, String device, String reason) {

    public Availability {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(reason, "reason");
        if (!available && reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable backend must say why");
        }
    }

    /** The backend runs on {@code device}. */
    public static Availability available(String device) {
        return new Availability(true, device, "");
    }

    /** The backend cannot run here, because of {@code reason}. */
    public static Availability unavailable(String reason) {
        return new Availability(false, "", reason);
    }

    @Override
    public String toString() {
        return available ? "available on " + device : "unavailable: " + reason;
    }
}
