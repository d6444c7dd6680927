package com.factory.inspect.api.camera;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives a camera's frames. Called on the camera's own thread; must return quickly. */
@ConsumerType
public interface FrameSink {
    /** A new frame. */
    void accept(Frame frame);

    /** The camera stopped delivering, with the reason (e.g. {@code folder /data/cam3 is empty}). */
    void cameraFailed(String cameraId, String reason);
}
