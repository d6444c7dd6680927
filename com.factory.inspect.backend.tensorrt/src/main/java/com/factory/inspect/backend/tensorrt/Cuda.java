package com.factory.inspect.backend.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/** CUDA runtime calls with their errors turned into exceptions, and the CUDA resources the backend owns. */
final class Cuda {
    private static final Logger LOG = System.getLogger(Cuda.class.getName());

    private Cuda() {
    }

    /** {@code cudaErrorMemoryAllocation (out of memory)} for a CUDA status. */
    static String error(int status) {
        try (BytePointer name = cudaGetErrorName(status); BytePointer text = cudaGetErrorString(status)) {
            return (name == null ? "CUDA error " + status : name.getString()) + " ("
                    + (text == null ? "no description" : text.getString()) + ")";
        }
    }

    /** Throws {@code code} with "{@code what} failed: <CUDA error>" unless {@code status} is success. */
    static void check(int status, ErrorCode code, String what) throws InferenceException {
        if (status != cudaSuccess) {
            throw new InferenceException(code, what + " failed: " + error(status));
        }
    }

    /** Makes {@code device} current on this thread (CUDA's current device is per thread). */
    static void use(int device, String what) throws InferenceException {
        check(cudaSetDevice(device), ErrorCode.BACKEND_UNAVAILABLE, what + ": cudaSetDevice(" + device + ")");
    }

    private static void release(int status, String what) {
        if (status != cudaSuccess) {
            LOG.log(Level.WARNING, "{0} failed: {1}", what, error(status));
        }
    }

    /** A CUDA stream that does not synchronise with the legacy default stream. */
    static final class Stream implements AutoCloseable {
        private final CUstream_st stream = new CUstream_st();

        Stream(String what) throws InferenceException {
            check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), ErrorCode.BACKEND_UNAVAILABLE,
                    what + ": cudaStreamCreateWithFlags");
        }

        CUstream_st handle() {
            return stream;
        }

        @Override
        public void close() {
            if (!stream.isNull()) {
                release(cudaStreamDestroy(stream), "cudaStreamDestroy");
                stream.setNull();
            }
        }
    }

    /** Device memory from {@code cudaMalloc}. */
    static final class DeviceBuffer implements AutoCloseable {
        private final Pointer address = new Pointer();
        private final long bytes;

        DeviceBuffer(long bytes, String what) throws InferenceException {
            this.bytes = bytes;
            check(cudaMalloc(address, bytes), ErrorCode.BACKEND_UNAVAILABLE, what + ": cudaMalloc(" + bytes + " bytes)");
        }

        Pointer pointer() {
            return address;
        }

        long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            if (!address.isNull()) {
                release(cudaFree(address), "cudaFree");
                address.setNull();
            }
        }
    }

    /** Page-locked host memory from {@code cudaMallocHost}, seen from Java as floats. */
    static final class HostFloats implements AutoCloseable {
        private final Pointer address = new Pointer();
        private final FloatPointer floats;
        private final FloatBuffer view;

        HostFloats(long count, String what) throws InferenceException {
            check(cudaMallocHost(address, count * Float.BYTES), ErrorCode.BACKEND_UNAVAILABLE,
                    what + ": cudaMallocHost(" + count * Float.BYTES + " bytes)");
            floats = new FloatPointer(address).capacity(count);
            view = floats.asBuffer();
        }

        Pointer pointer() {
            return address;
        }

        /** A native-order view of the memory; its position and limit belong to the caller. */
        FloatBuffer buffer() {
            return view;
        }

        @Override
        public void close() {
            if (!address.isNull()) {
                release(cudaFreeHost(address), "cudaFreeHost");
                address.setNull();
                floats.setNull();
            }
        }
    }
}
