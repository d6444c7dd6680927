package com.factory.inspect.lib.openvino;

import com.factory.inspect.lib.openvino.internal.Structs;
import java.util.Arrays;

/**
 * A static shape ({@code ov_shape_t}) made by {@code ov_shape_create}, whose dimension array
 * OpenVINO allocated and {@link #close()} frees ({@code ov_shape_free}). Not thread-safe: one owner.
 */
public final class OvShape implements AutoCloseable {
    private final OpenVino openVino;
    private final Structs.Shape shape;
    private final long[] dims;
    private boolean closed;

    private OvShape(OpenVino openVino, Structs.Shape shape, long[] dims) {
        this.openVino = openVino;
        this.shape = shape;
        this.dims = dims;
    }

    /** A shape of these dimensions (each at least 0, at least one dimension). */
    public static OvShape of(OpenVino openVino, long... dims) throws OpenVinoException {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must not be negative: " + Arrays.toString(dims));
            }
        }
        Structs.Shape shape = new Structs.Shape();
        openVino.check(openVino.c().ov_shape_create(dims.length, dims, shape), "ov_shape_create");
        return new OvShape(openVino, shape, dims.clone());
    }

    /** The dimensions. */
    public long[] dims() {
        return dims.clone();
    }

    /** The struct as the C API takes it by value; valid until {@link #close()}. */
    Structs.Shape.ByValue byValue() {
        if (closed) {
            throw new IllegalStateException("shape " + Arrays.toString(dims) + " was already closed");
        }
        Structs.Shape.ByValue v = new Structs.Shape.ByValue();
        v.rank = shape.rank;
        v.dims = shape.dims;
        return v;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            openVino.c().ov_shape_free(shape);
        }
    }

    @Override
    public String toString() {
        return "OvShape" + Arrays.toString(dims);
    }
}
