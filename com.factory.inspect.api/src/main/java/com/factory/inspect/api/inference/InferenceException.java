package com.factory.inspect.api.inference;

import java.util.Objects;

/** The one checked exception of the inference SPI; {@link #code()} says what went wrong. */
public class InferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public InferenceException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public InferenceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What kind of failure this is. */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }
}
