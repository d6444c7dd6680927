package com.factory.inspect.camera.images;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;

/**
 * A decoded image: 8 bits per channel, rows top to bottom. The pixel array is not copied: hand it to
 * {@link #toFrame}, which copies it into an immutable frame.
 *
 * @param format MONO8 or RGB8
 * @param width width in pixels
 * @param height height in pixels
 * @param pixels {@code width × height × bytesPerPixel} bytes
 */
public record RasterImage(PixelFormat format, int width, int height, byte[] pixels) {

    /** This image as a frame. */
    public Frame toFrame(String cameraId, long sequence, long captureNanos, GroundTruth truth, String annotation) {
        return Frame.of(cameraId, sequence, captureNanos, format, width, height, pixels, truth, annotation);
    }
}
