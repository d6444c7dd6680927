package com.factory.inspect.api.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the gateway needs to know to run a model and decide on its output.
 *
 * @param name model name, e.g. {@code surface-defects}
 * @param version model version, OSGi/semantic style {@code major.minor.micro[.qualifier]}
 * @param format file format of the model
 * @param file path of the model file inside its bundle or folder
 * @param inputShape input tensor shape in {@code inputLayout} order, four dimensions; the batch
 *        dimension may be {@code -1} (dynamic)
 * @param inputLayout layout of the input tensor
 * @param preprocessing how a frame becomes the input tensor
 * @param outputLabels one label per output element, e.g. {@code [good, defect]}
 * @param defectIndex index into {@code outputLabels} whose probability means "defect"
 * @param threshold default decision threshold: {@code p(defect) >= threshold} fails the part
 * @param sha256 lower-case hex SHA-256 of the model file
 */
public record ModelDescriptor(String name, String version, ModelFormat format, String file,
        List<Integer> inputShape, TensorLayout inputLayout, Preprocessing preprocessing,
        List<String> outputLabels, int defectIndex, double threshold, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}(\\.[A-Za-z0-9_-]+)?");

    public ModelDescriptor {
        requireText(name, "name");
        requireText(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(inputLayout, "inputLayout");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("model version '" + version + "' is not major.minor.micro[.qualifier]");
        }
        inputShape = List.copyOf(Objects.requireNonNull(inputShape, "inputShape"));
        outputLabels = List.copyOf(Objects.requireNonNull(outputLabels, "outputLabels"));
        if (inputShape.size() != 4) {
            throw new IllegalArgumentException("model input shape must have 4 dimensions, got " + inputShape);
        }
        int batch = inputShape.get(0);
        if (batch != -1 && batch < 1) {
            throw new IllegalArgumentException("model batch dimension must be -1 or positive, got " + batch);
        }
        for (int i = 1; i < 4; i++) {
            if (inputShape.get(i) < 1) {
                throw new IllegalArgumentException("model input dimensions after the batch must be positive, got "
                        + inputShape);
            }
        }
        int channels = inputLayout == TensorLayout.NCHW ? inputShape.get(1) : inputShape.get(3);
        if (channels != preprocessing.colour().channels()) {
            throw new IllegalArgumentException("model input has " + channels + " channels but preprocessing colour "
                    + preprocessing.colour() + " gives " + preprocessing.colour().channels());
        }
        if (outputLabels.size() < 2) {
            throw new IllegalArgumentException("model needs at least two output labels, got " + outputLabels);
        }
        if (defectIndex < 0 || defectIndex >= outputLabels.size()) {
            throw new IllegalArgumentException("defect index " + defectIndex + " is outside the "
                    + outputLabels.size() + " output labels " + outputLabels);
        }
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("decision threshold must be within 0..1, was " + threshold);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, was '" + sha256 + "'");
        }
    }

    /** Input width in pixels. */
    public int inputWidth() {
        return inputLayout == TensorLayout.NCHW ? inputShape.get(3) : inputShape.get(2);
    }

    /** Input height in pixels. */
    public int inputHeight() {
        return inputLayout == TensorLayout.NCHW ? inputShape.get(2) : inputShape.get(1);
    }

    /** Input channels. */
    public int inputChannels() {
        return preprocessing.colour().channels();
    }

    /** Number of input values for one image (channels × height × width). */
    public int inputElementsPerImage() {
        return inputChannels() * inputHeight() * inputWidth();
    }

    /** {@code name:version}, how logs and results name a model. */
    public String coordinates() {
        return name + ":" + version;
    }

    /**
     * Whether two version strings name the same version, missing parts counting as 0
     * ({@code 1.0} is {@code 1.0.0}); false if either is not a version.
     */
    public static boolean sameVersion(String a, String b) {
        String[] x = normalise(a);
        String[] y = normalise(b);
        return x != null && java.util.Arrays.equals(x, y);
    }

    private static String[] normalise(String version) {
        if (version == null || !VERSION.matcher(version.trim()).matches()) {
            return null;
        }
        String[] parts = version.trim().split("\\.", 4);
        String[] n = {"0", "0", "0", ""};
        for (int i = 0; i < parts.length; i++) {
            n[i] = i < 3 ? Integer.toString(Integer.parseInt(parts[i])) : parts[i];
        }
        return n;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("model " + what + " must not be empty");
        }
    }
}
