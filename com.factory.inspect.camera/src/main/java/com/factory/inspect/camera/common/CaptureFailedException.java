package com.factory.inspect.camera.common;

/**
 * A camera cannot deliver frames for now (e.g. its folder is missing). The message is the reason a
 * technician reads in the camera's health and in {@code FrameSink.cameraFailed}.
 */
public final class CaptureFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public CaptureFailedException(String reason) {
        super(reason);
    }
}
