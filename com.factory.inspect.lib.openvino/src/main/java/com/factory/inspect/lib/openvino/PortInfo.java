package com.factory.inspect.lib.openvino;

import java.util.List;
import java.util.Objects;

/**
 * A model input or output as OpenVINO reports it.
 *
 * @param name one of its tensor names, or {@code input 0} / {@code output 0} when it has none
 * @param elementType its {@code ov_element_type_e} code
 * @param shape its dimensions, {@code -1} for a dynamic one; empty when the rank itself is dynamic
 * @param dynamicRank whether the number of dimensions is unknown
 */
public record PortInfo(String name, int elementType, List<Long> shape, boolean dynamicRank) {
    /**
     * Element type names for the codes that are the same in every release since 2023.0. Later
     * codes moved when 2024 releases inserted new types, so they are reported by number.
     */
    private static final List<String> STABLE_TYPES = List.of("undefined", "dynamic", "bool", "bfloat16", "float16",
            "float32", "float64", "int4", "int8", "int16", "int32", "int64", "uint1");

    public PortInfo {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
    }

    /** Whether the elements are 32-bit floats. */
    public boolean isFloat32() {
        return elementType == com.factory.inspect.lib.openvino.internal.OpenVinoC.F32;
    }

    /** The element type as the inference API names it ({@code float32}, {@code int64}, ...). */
    public String elementTypeName() {
        return typeName(elementType);
    }

    /** {@code float32} for F32, ...; {@code element type #N} for codes that differ between releases. */
    public static String typeName(int code) {
        return code >= 0 && code < STABLE_TYPES.size() ? STABLE_TYPES.get(code) : "element type #" + code;
    }

    @Override
    public String toString() {
        return "'" + name + "' " + elementTypeName() + " " + (dynamicRank ? "[dynamic rank]" : shape.toString());
    }
}
