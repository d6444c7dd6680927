package com.factory.inspect.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The ONNX Runtime environment, created on first use and then kept: loading the native library
 * happens once, and so does a failure to load it, which is remembered and reported from then on.
 *
 * <p>The environment is ONNX Runtime's per-JVM singleton, living in the library bundle; closing it is
 * a no-op, so nothing here closes it, and an updated backend bundle gets the same one back.
 */
final class OrtRuntime {
    /** The environment's name in ONNX Runtime's own log lines. */
    static final String ENVIRONMENT_NAME = "factory-inspect";

    private static final Logger LOG = System.getLogger(OrtRuntime.class.getName());

    private final OrtEnvironment environment;
    private final String version;
    private final String failure;

    private OrtRuntime(OrtEnvironment environment, String version, String failure) {
        this.environment = environment;
        this.version = version;
        this.failure = failure;
    }

    /** The one probe of this class loader, run by the first caller (holder idiom: lazy, thread-safe). */
    static OrtRuntime get() {
        return Holder.INSTANCE;
    }

    /** The environment, or {@code BACKEND_UNAVAILABLE} with the reason it could not be created. */
    OrtEnvironment environment() throws InferenceException {
        if (environment == null) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, failure);
        }
        return environment;
    }

    /** A runtime that failed to load, for tests of the unavailable path. */
    static OrtRuntime failed(String reason) {
        return new OrtRuntime(null, "", reason);
    }

    /** Whether the native library loaded and the environment exists. */
    boolean available() {
        return environment != null;
    }

    /** ONNX Runtime's version, e.g. {@code 1.29.0}; empty when unavailable. */
    String version() {
        return version;
    }

    /** Why ONNX Runtime is unavailable; empty when available. */
    String failure() {
        return failure;
    }

    private static OrtRuntime probe() {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                    ENVIRONMENT_NAME);
            try {
                env.setTelemetry(false);
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "ONNX Runtime telemetry could not be switched off", e);
            }
            String version = env.getVersion();
            LOG.log(Level.INFO, "ONNX Runtime {0} loaded", version);
            return new OrtRuntime(env, version, "");
        } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            String reason = "ONNX Runtime native library could not be loaded: " + describe(t);
            LOG.log(Level.ERROR, reason, t);
            return new OrtRuntime(null, "", reason);
        }
    }

    /** The innermost cause's type and message: the useful part of an initializer failure chain. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + ": " + root.getMessage();
        return root == t ? text : t.getClass().getSimpleName() + " caused by " + text;
    }

    private static final class Holder {
        static final OrtRuntime INSTANCE = probe();
    }
}
