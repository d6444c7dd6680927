package com.factory.inspect.api.gate;

import java.util.Objects;

/**
 * The outcome of verifying a model without activating it.
 *
 * @param passed whether every check passed: checksum, format, input/output shapes, warm-up
 * @param model {@code name:version} of the model
 * @param backendId backend it was verified on, empty if none could take it
 * @param loadMillis time to load, check and warm it up
 * @param detail what failed, naming the model's origin; empty when it passed
 */
public record Verification(boolean passed, String model, String backendId, long loadMillis, String detail) {
    public Verification {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(detail, "detail");
    }
}
