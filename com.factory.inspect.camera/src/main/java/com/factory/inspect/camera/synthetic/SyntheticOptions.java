package com.factory.inspect.camera.synthetic;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The parsed, validated configuration of a synthetic camera.
 *
 * @param cameraId camera id
 * @param framesPerSecond frame rate
 * @param width frame width
 * @param height frame height
 * @param defectRate probability of a defective part, 0..1
 * @param defectTypes defects to draw
 * @param seed configured seed; 0 derives one from the camera id
 */
public record SyntheticOptions(String cameraId, double framesPerSecond, int width, int height, double defectRate,
        Set<DefectType> defectTypes, long seed) {

    public SyntheticOptions {
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("synthetic camera needs a camera.id");
        }
        if (!(framesPerSecond > 0 && framesPerSecond <= 1000)) {
            throw new IllegalArgumentException("camera " + cameraId + ": fps must be within (0, 1000], was "
                    + framesPerSecond);
        }
        if (width < 64 || height < 64 || width > 8192 || height > 8192) {
            throw new IllegalArgumentException("camera " + cameraId + ": width and height must be within 64..8192, was "
                    + width + "x" + height);
        }
        if (!(defectRate >= 0 && defectRate <= 1)) {
            throw new IllegalArgumentException("camera " + cameraId + ": defect.rate must be within 0..1, was "
                    + defectRate);
        }
        defectTypes = Set.copyOf(defectTypes);
        if (defectTypes.isEmpty()) {
            throw new IllegalArgumentException("camera " + cameraId + ": defect.types must name at least one type");
        }
    }

    /** Parses a component configuration. */
    static SyntheticOptions from(SyntheticCamera.Config config) {
        return new SyntheticOptions(config.camera_id(), config.fps(), config.width(), config.height(),
                config.defect_rate(), DefectType.parse(config.defect_types()), config.seed());
    }

    /** The seed the renderer uses: the configured one, or one derived from the camera id. */
    public long effectiveSeed() {
        if (seed != 0) {
            return seed;
        }
        long hash = 0xcbf29ce484222325L; // FNV-1a of the id, then mixed
        for (byte b : cameraId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return new SplittableRandom(hash).nextLong();
    }

    /** Whether {@code other} renders the same images (only rate, fps or id differ). */
    boolean sameImages(SyntheticOptions other) {
        return width == other.width && height == other.height && defectTypes.equals(other.defectTypes)
                && effectiveSeed() == other.effectiveSeed();
    }

    /** Settings as a technician reads them. */
    String describe() {
        String types = defectTypes.stream().sorted().map(DefectType::label).collect(Collectors.joining(", "));
        return String.format(java.util.Locale.ROOT, "turned flange %dx%d, defect rate %.3f (%s), seed %d", width,
                height, defectRate, types, effectiveSeed());
    }
}
