package com.factory.inspect.backend.tensorrt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a serialized TensorRT engine depends on: an engine only runs on the TensorRT version and the
 * GPU it was built for, and its precision and batch profile are fixed when it is built. The
 * canonical text is stored in the cache file and compared on every read; its SHA-256 names the file.
 *
 * @param modelName model name, for a readable file name only (not part of the key)
 * @param modelVersion model version, for a readable file name only (not part of the key)
 * @param modelSha256 the ONNX file's SHA-256
 * @param tensorRtVersion version of the TensorRT library that builds and runs the engine, e.g. {@code 10.3.0}
 * @param gpuName device name, e.g. {@code Orin}
 * @param gpuArchitecture compute capability, e.g. {@code sm_87}
 * @param precision what the builder may use
 * @param profile the batch sizes the engine accepts
 */
record EngineKey(String modelName, String modelVersion, String modelSha256, String tensorRtVersion,
        String gpuName, String gpuArchitecture, Precision precision, BatchProfile profile) {

    /** First line of every key: a key of another layout never matches. */
    static final String HEADER = "factory-inspect tensorrt engine key 1";
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    EngineKey {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(tensorRtVersion, "tensorRtVersion");
        Objects.requireNonNull(gpuName, "gpuName");
        Objects.requireNonNull(gpuArchitecture, "gpuArchitecture");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(profile, "profile");
    }

    /** The key as stored in the cache file: one {@code name=value} per line, in a fixed order. */
    String canonical() {
        return HEADER + "\n"
                + "model.sha256=" + modelSha256 + "\n"
                + "tensorrt=" + tensorRtVersion + "\n"
                + "gpu=" + gpuName + "\n"
                + "gpu.architecture=" + gpuArchitecture + "\n"
                + "precision=" + precision + "\n"
                + "batch.profile=" + profile.text() + "\n";
    }

    /** Lower-case hex SHA-256 of {@link #canonical()}. */
    String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * {@code surface-defects-1.2.0-3f9c0a1b2c3d4e5f.engine}: model name and version so a technician
     * can tell the files apart, and the first 16 hex digits of the key's hash so that any change of
     * the key gives another file.
     */
    String fileName() {
        return safe(modelName) + "-" + safe(modelVersion) + "-" + hash().substring(0, 16) + ".engine";
    }

    /** {@code surface-defects:1.2.0, FP16, batch 1/4/8, TensorRT 10.3.0 on Orin (sm_87)}, for messages. */
    String describe() {
        return modelName + ":" + modelVersion + ", " + precision + ", batch " + profile.text() + ", TensorRT "
                + tensorRtVersion + " on " + gpuName + " (" + gpuArchitecture + ")";
    }

    private static String safe(String text) {
        String s = UNSAFE.matcher(text).replaceAll("_");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
