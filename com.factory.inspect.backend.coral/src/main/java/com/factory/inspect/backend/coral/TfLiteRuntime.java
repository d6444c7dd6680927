package com.factory.inspect.backend.coral;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteVersion;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.sun.jna.NativeLibrary;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * The TensorFlow Lite native library, loaded on first use and then kept: loading happens once, and
 * so does a failure to load, which is remembered and reported from then on.
 *
 * <p>JavaCPP loads the library (extracting it to its cache, {@code ~/.javacpp/cache} unless
 * {@code org.bytedeco.javacpp.cachedir} says otherwise) and binds the C API. The few C entry points
 * JavaCPP maps no Java method for (the XNNPACK delegate) are reached through JNA on the same file:
 * {@code dlopen} of a path already loaded returns the same library, so both see one TensorFlow Lite.
 */
final class TfLiteRuntime {
    private static final Logger LOG = System.getLogger(TfLiteRuntime.class.getName());

    private final NativeLibrary library;
    private final String version;
    private final String failure;

    private TfLiteRuntime(NativeLibrary library, String version, String failure) {
        this.library = library;
        this.version = version;
        this.failure = failure;
    }

    /** The one probe of this class loader, run by the first caller (holder idiom: lazy, thread-safe). */
    static TfLiteRuntime get() {
        return Holder.INSTANCE;
    }

    /** A runtime that failed to load, for tests of the unavailable path. */
    static TfLiteRuntime failed(String reason) {
        return new TfLiteRuntime(null, "", reason);
    }

    /** Whether the native library loaded. */
    boolean available() {
        return library != null;
    }

    /** TensorFlow Lite's version, e.g. {@code 2.21.0}; empty when unavailable. */
    String version() {
        return version;
    }

    /** Why TensorFlow Lite is unavailable; empty when available. */
    String failure() {
        return failure;
    }

    /** The library for JNA calls, or {@code BACKEND_UNAVAILABLE} with the reason it did not load. */
    NativeLibrary library() throws InferenceException {
        if (library == null) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, failure);
        }
        return library;
    }

    private static TfLiteRuntime probe() {
        long start = System.nanoTime();
        try {
            String path = Loader.load(tensorflowlite.class);
            if (path == null) {
                throw new UnsatisfiedLinkError("JavaCPP did not say which file it loaded");
            }
            String version = TfLiteVersion().getString();
            NativeLibrary library = NativeLibrary.getInstance(path);
            LOG.log(Level.INFO, "TensorFlow Lite {0} loaded from {1} in {2} ms", version, path,
                    (System.nanoTime() - start) / 1_000_000);
            return new TfLiteRuntime(library, version, "");
        } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            String reason = "TensorFlow Lite native library could not be loaded: " + describe(t) + hint(t);
            LOG.log(Level.ERROR, reason, t);
            return failed(reason);
        }
    }

    /** The innermost cause's type and message: the useful part of an initializer failure chain. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + ": " + root.getMessage();
        return root == t ? text : t.getClass().getSimpleName() + " caused by " + text;
    }

    /**
     * What to do about the one failure that is a launch setting: JavaCPP binds a library to the
     * class loader of the classes using it (in OSGi: the library bundle) by calling
     * {@code Runtime.load0} reflectively, which Java 17 allows only where {@code java.lang} is open.
     */
    static String hint(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (String.valueOf(c.getMessage()).contains("does not \"opens java.lang\"")) {
                return " (start the JVM with --add-opens java.base/java.lang=ALL-UNNAMED)";
            }
        }
        return "";
    }

    private static final class Holder {
        static final TfLiteRuntime INSTANCE = probe();
    }
}
