package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Creates XNNPACK delegates through TensorFlow Lite's C functions {@code TfLiteXNNPackDelegate*},
 * which the JavaCPP presets export but do not map. The C API's {@code TfLiteInterpreterCreate} builds
 * its interpreters without default delegates, so without this the CPU backend would run TensorFlow
 * Lite's reference kernels (measured on the twin model: about 100 µs per image instead of 8).
 */
final class Xnnpack {
    private final Function optionsDefault;
    private final Function create;
    private final Function delete;

    private Xnnpack(NativeLibrary library) {
        this.optionsDefault = library.getFunction("TfLiteXNNPackDelegateOptionsDefault");
        this.create = library.getFunction("TfLiteXNNPackDelegateCreate");
        this.delete = library.getFunction("TfLiteXNNPackDelegateDelete");
    }

    /** The XNNPACK functions of a loaded TensorFlow Lite. */
    static Xnnpack of(TfLiteRuntime runtime) throws InferenceException {
        try {
            return new Xnnpack(runtime.library());
        } catch (UnsatisfiedLinkError e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE,
                    "TensorFlow Lite " + runtime.version() + " has no XNNPACK delegate: " + e.getMessage(), e);
        }
    }

    /**
     * A new delegate with XNNPACK's default options (which the same library version writes and reads,
     * so their layout never matters here) and {@code threads} threads.
     *
     * @param threads XNNPACK's thread pool size; 1 runs every operator on the calling thread
     */
    NativeDelegate create(int threads) throws InferenceException {
        Options options = (Options) optionsDefault.invoke(Options.class, new Object[0]);
        options.numThreads = threads;
        options.write();
        Pointer delegate = (Pointer) create.invoke(Pointer.class, new Object[] {options.getPointer()});
        if (delegate == null) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, "XNNPACK could not create a delegate with "
                    + threads + " thread(s)");
        }
        return new NativeDelegate("XNNPACK delegate (" + threads + " thread(s))", Pointer.nativeValue(delegate),
                address -> delete.invoke(Void.class, new Object[] {new Pointer(address)}));
    }

    /**
     * {@code TfLiteXNNPackDelegateOptions}: only {@code num_threads}, its first field in every
     * TensorFlow Lite version, is touched. The rest is room for the fields that follow (about 60
     * bytes in 2.21). Structures larger than 16 bytes are returned through memory the caller
     * provides on both x86-64 and aarch64, so room to spare is safe.
     */
    @Structure.FieldOrder({"numThreads", "rest"})
    public static final class Options extends Structure implements Structure.ByValue {
        public int numThreads;
        public byte[] rest = new byte[252];
    }
}
