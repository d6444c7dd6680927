package com.factory.inspect.api.camera;

import java.util.Objects;

/**
 * What a camera is configured to deliver.
 *
 * @param cameraId camera id, unique on this gateway
 * @param kind implementation, e.g. {@code synthetic}, {@code folder}, {@code gige}
 * @param pixelFormat pixel format of its frames
 * @param width frame width
 * @param height frame height
 * @param framesPerSecond nominal frame rate
 * @param description human-readable settings, e.g. the folder replayed
 */
public record CameraInfo(String cameraId, String kind, PixelFormat pixelFormat, int width, int height,
        double framesPerSecond, String description) {

    public CameraInfo {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pixelFormat, "pixelFormat");
        Objects.requireNonNull(description, "description");
    }
}
