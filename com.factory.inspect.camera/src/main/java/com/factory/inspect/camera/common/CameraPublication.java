package com.factory.inspect.camera.common;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.factory.inspect.api.camera.FrameSource;

/**
 * A camera component's {@link FrameSource} service and its capture stream.
 * <p>
 * Declarative Services can only publish configuration keys as they are, but the service property
 * {@link FrameSource#PROPERTY_CAMERA_ID} comes from the configuration's {@code camera.id} and must
 * follow it when that changes; so the components register the service themselves, through this.
 */
public final class CameraPublication {
    private final ServiceRegistration<FrameSource> registration;
    private final CaptureStream stream;
    private String cameraId;

    private CameraPublication(ServiceRegistration<FrameSource> registration, CaptureStream stream, String cameraId) {
        this.registration = registration;
        this.stream = stream;
        this.cameraId = cameraId;
    }

    /** Registers {@code source}, which captures through {@code stream}, under camera id {@code cameraId}. */
    public static CameraPublication publish(BundleContext context, FrameSource source, CaptureStream stream,
            String cameraId) {
        return new CameraPublication(context.registerService(FrameSource.class, source, properties(cameraId)),
                stream, cameraId);
    }

    /** Applies a new camera id and frame rate without restarting the stream. */
    public synchronized void reconfigure(String newCameraId, double framesPerSecond) {
        stream.setCameraId(newCameraId);
        stream.setFramesPerSecond(framesPerSecond);
        if (!newCameraId.equals(cameraId)) {
            registration.setProperties(properties(newCameraId));
            cameraId = newCameraId;
        }
    }

    /** Unregisters the service (harmless if the framework already did), then stops any capture. */
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it while stopping the bundle
        }
        stream.stop();
    }

    private static Dictionary<String, Object> properties(String cameraId) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(FrameSource.PROPERTY_CAMERA_ID, cameraId);
        return properties;
    }
}
