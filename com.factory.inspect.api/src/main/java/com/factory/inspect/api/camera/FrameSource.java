package com.factory.inspect.api.camera;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A camera, registered as a service with {@link #PROPERTY_CAMERA_ID}. It captures only while a sink
 * has it open, on a thread of its own.
 */
@ProviderType
public interface FrameSource {
    /** Service property: camera id. */
    String PROPERTY_CAMERA_ID = "inspect.camera.id";

    /** Camera id, unique on this gateway. */
    String cameraId();

    /** What it is configured to deliver. */
    CameraInfo info();

    /** Its current health. */
    CameraHealth health();

    /**
     * Starts delivering frames to {@code sink} until the returned handle is closed.
     *
     * @throws IllegalStateException if another sink has it open
     */
    Subscription open(FrameSink sink);

    /** An open camera; closing it stops capture. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
