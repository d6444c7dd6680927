package com.factory.inspect.api.inference;

import java.util.List;
import java.util.Objects;

/**
 * Name, element type and shape of a model input or output.
 *
 * @param name tensor name in the model
 * @param elementType element type as the runtime names it, e.g. {@code float32}
 * @param shape dimensions; {@code -1} marks a dynamic one (usually the batch)
 */
public record TensorSpec(String name, String elementType, List<Long> shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
    }

    /** Number of elements of one batch item: the product of all dimensions after the first. */
    public long elementsPerItem() {
        long n = 1;
        for (int i = 1; i < shape.size(); i++) {
            n *= Math.max(1, shape.get(i));
        }
        return n;
    }
}
