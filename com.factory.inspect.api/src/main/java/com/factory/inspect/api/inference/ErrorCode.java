package com.factory.inspect.api.inference;

/** Why an inference operation failed. */
public enum ErrorCode {
    /** The backend's native library or device is not present. */
    BACKEND_UNAVAILABLE,
    /** The backend does not accept the model's format. */
    UNSUPPORTED_FORMAT,
    /** The model file could not be read. */
    MODEL_UNREADABLE,
    /** The model file's SHA-256 differs from its descriptor's. */
    CHECKSUM_MISMATCH,
    /** The runtime rejected the model file (corrupt or unsupported operators). */
    MODEL_INVALID,
    /** The model's input or output tensors do not match its descriptor. */
    SHAPE_MISMATCH,
    /** The caller passed input that does not fit the model (size, batch). */
    BAD_INPUT,
    /** The runtime failed while running the model. */
    INFERENCE_FAILED,
    /** The model was already closed. */
    CLOSED,
    /**
     * The model is being prepared for this backend (e.g. an engine build); try again later or use
     * another backend.
     */
    NOT_READY
}
