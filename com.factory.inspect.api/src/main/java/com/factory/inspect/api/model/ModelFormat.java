package com.factory.inspect.api.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The file format of a model, by name. Backends declare which formats they accept; vendors may
 * add names of their own (lower case, digits and dashes).
 *
 * @param name lower-case format name, e.g. {@code onnx}
 */
public record ModelFormat(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** ONNX protobuf ({@code .onnx}). */
    public static final ModelFormat ONNX = new ModelFormat("onnx");
    /** TensorFlow Lite flatbuffer ({@code .tflite}), including Edge-TPU-compiled ones. */
    public static final ModelFormat TFLITE = new ModelFormat("tflite");
    /** OpenVINO intermediate representation ({@code .xml} + {@code .bin}). */
    public static final ModelFormat OPENVINO_IR = new ModelFormat("openvino-ir");

    public ModelFormat {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model format '" + name
                    + "' must be lower case letters, digits and dashes, starting with a letter");
        }
    }

    /** Parses a format name, ignoring case and surrounding blanks. */
    public static ModelFormat of(String name) {
        return new ModelFormat(Objects.requireNonNull(name, "name").trim().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return name;
    }
}
