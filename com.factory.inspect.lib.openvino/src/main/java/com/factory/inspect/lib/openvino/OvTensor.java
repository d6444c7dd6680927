package com.factory.inspect.lib.openvino;

import com.factory.inspect.lib.openvino.internal.OpenVinoC;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A tensor handle ({@code ov_tensor_t}). One made over host memory reads that memory in place (no
 * copy); the memory must stay valid while OpenVINO may read it, which this object ensures for as
 * long as it is open by holding the buffer. Closing frees the handle only: OpenVINO keeps the tensor
 * data alive while an infer request still refers to it.
 */
public final class OvTensor extends NativeHandle {
    private final Object memory;

    private OvTensor(OpenVino openVino, Pointer handle, Object memory) {
        super(openVino, handle, "tensor");
        this.memory = memory;
    }

    /**
     * An f32 tensor over {@code data}'s floats from its position on, without copying them.
     *
     * @param data a direct buffer in native byte order with at least the shape's element count remaining
     * @param shape the tensor's dimensions
     */
    public static OvTensor wrapFloats(OpenVino openVino, FloatBuffer data, long... shape) throws OpenVinoException {
        if (!data.isDirect() || data.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("OpenVINO reads tensor memory in place: the buffer must be direct "
                    + "and in native byte order, got " + (data.isDirect() ? data.order() + " direct" : "heap")
                    + " buffer");
        }
        long count = elements(shape);
        if (data.remaining() < count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count
                    + " floats, the buffer has " + data.remaining());
        }
        Pointer at = Native.getDirectBufferPointer(data).share((long) data.position() * Float.BYTES);
        return create(openVino, OpenVinoC.F32, at, data, shape);
    }

    /** A one-dimensional tensor of {@code bytes} elements of {@code elementType} over native memory. */
    static OvTensor over(OpenVino openVino, int elementType, Memory memory, long bytes) throws OpenVinoException {
        return create(openVino, elementType, memory, memory, bytes);
    }

    private static OvTensor create(OpenVino openVino, int elementType, Pointer host, Object memory, long... shape)
            throws OpenVinoException {
        try (OvShape s = OvShape.of(openVino, shape)) {
            PointerByReference ref = new PointerByReference();
            openVino.check(openVino.c().ov_tensor_create_from_host_ptr(elementType, s.byValue(), host, ref),
                    "ov_tensor_create_from_host_ptr");
            return new OvTensor(openVino, ref.getValue(), memory);
        }
    }

    /** A handle to a tensor OpenVINO allocated (e.g. an infer request's output). */
    static OvTensor of(OpenVino openVino, Pointer handle) {
        return new OvTensor(openVino, handle, null);
    }

    /** Number of elements (the product of the dimensions). */
    public long size() throws OpenVinoException {
        LongByReference size = new LongByReference();
        openVino.check(openVino.c().ov_tensor_get_size(handle(), size), "ov_tensor_get_size");
        return size.getValue();
    }

    /**
     * Copies this f32 tensor's elements into {@code target} from its position on, advancing it.
     *
     * @throws java.nio.BufferOverflowException if {@code target} has less room than {@link #size()}
     */
    public void copyTo(FloatBuffer target) throws OpenVinoException {
        long count = size();
        if (count > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalStateException("tensor of " + count + " floats is too large to copy into a buffer");
        }
        PointerByReference data = new PointerByReference();
        openVino.check(openVino.c().ov_tensor_data(handle(), data), "ov_tensor_data");
        target.put(data.getValue().getByteBuffer(0, count * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer());
    }

    /** Product of {@code shape}, checked. */
    static long elements(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    void free(Pointer pointer) {
        openVino.c().ov_tensor_free(pointer);
    }

    @Override
    public String toString() {
        return super.toString() + (memory == null ? "" : " over host memory");
    }
}
