package com.factory.inspect.camera.folder;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The parsed, validated configuration of a folder replay camera.
 *
 * @param cameraId camera id
 * @param folder folder replayed
 * @param framesPerSecond frame rate
 * @param loop whether to start again after the last image
 * @param retryInterval how long to wait before looking at a missing or empty folder again
 */
public record FolderOptions(String cameraId, Path folder, double framesPerSecond, boolean loop,
        Duration retryInterval) {

    public FolderOptions {
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("folder camera needs a camera.id");
        }
        if (folder == null) {
            throw new IllegalArgumentException("camera " + cameraId + ": folder is required");
        }
        if (!(framesPerSecond > 0 && framesPerSecond <= 1000)) {
            throw new IllegalArgumentException("camera " + cameraId + ": fps must be within (0, 1000], was "
                    + framesPerSecond);
        }
        if (retryInterval == null || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("camera " + cameraId + ": retry interval must be positive, was "
                    + retryInterval);
        }
    }

    /** Parses a component configuration. */
    static FolderOptions from(FolderCamera.Config config) {
        String folder = config.folder();
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("camera " + config.camera_id() + ": folder is required");
        }
        if (!(config.retry_seconds() > 0)) {
            throw new IllegalArgumentException("camera " + config.camera_id() + ": retry.seconds must be positive, was "
                    + config.retry_seconds());
        }
        try {
            return new FolderOptions(config.camera_id(), Path.of(folder.strip()), config.fps(), config.loop(),
                    Duration.ofNanos(Math.round(config.retry_seconds() * 1e9)));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("camera " + config.camera_id() + ": folder '" + folder
                    + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
