package com.factory.inspect.api.camera;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One captured image. Immutable: the pixels are copied in and handed out read-only.
 */
public final class Frame {
    private final String cameraId;
    private final long sequence;
    private final long captureNanos;
    private final PixelFormat pixelFormat;
    private final int width;
    private final int height;
    private final byte[] pixels;
    private final GroundTruth groundTruth;
    private final String annotation;

    private Frame(String cameraId, long sequence, long captureNanos, PixelFormat pixelFormat, int width,
            int height, byte[] pixels, GroundTruth groundTruth, String annotation) {
        this.cameraId = cameraId;
        this.sequence = sequence;
        this.captureNanos = captureNanos;
        this.pixelFormat = pixelFormat;
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.groundTruth = groundTruth;
        this.annotation = annotation;
    }

    /**
     * Creates a frame.
     *
     * @param cameraId id of the camera that captured it
     * @param sequence per-camera frame number, increasing by one per captured frame
     * @param captureNanos capture instant on this JVM's {@link System#nanoTime()} clock; the
     *        reject deadline counts from here
     * @param pixelFormat layout of {@code pixels}
     * @param width width in pixels
     * @param height height in pixels
     * @param pixels {@code width × height × bytesPerPixel} bytes, copied
     * @param groundTruth what the frame really shows, {@link GroundTruth#UNKNOWN} for live cameras
     * @param annotation free text about the ground truth, e.g. the defect drawn; empty if none
     */
    public static Frame of(String cameraId, long sequence, long captureNanos, PixelFormat pixelFormat,
            int width, int height, byte[] pixels, GroundTruth groundTruth, String annotation) {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(pixelFormat, "pixelFormat");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(annotation, "annotation");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("frame of camera " + cameraId + " has size " + width + "x" + height);
        }
        long expected = (long) width * height * pixelFormat.bytesPerPixel();
        if (pixels.length != expected) {
            throw new IllegalArgumentException("frame of camera " + cameraId + " has " + pixels.length
                    + " bytes, a " + width + "x" + height + " " + pixelFormat + " frame needs " + expected);
        }
        return new Frame(cameraId, sequence, captureNanos, pixelFormat, width, height, pixels.clone(),
                groundTruth, annotation);
    }

    public String cameraId() {
        return cameraId;
    }

    public long sequence() {
        return sequence;
    }

    public long captureNanos() {
        return captureNanos;
    }

    public PixelFormat pixelFormat() {
        return pixelFormat;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixels, read-only, position 0. */
    public ByteBuffer pixels() {
        return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** Unsigned value of byte {@code index} of the pixel data. */
    public int pixelByte(int index) {
        return pixels[index] & 0xFF;
    }

    /** Copies the pixel data into {@code target} (which must hold at least all of it). */
    public void copyPixels(byte[] target) {
        System.arraycopy(pixels, 0, target, 0, pixels.length);
    }

    public GroundTruth groundTruth() {
        return groundTruth;
    }

    public String annotation() {
        return annotation;
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + "#" + sequence + " " + width + "x" + height + " " + pixelFormat + "]";
    }
}
