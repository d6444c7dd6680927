package com.factory.inspect.backend.tensorrt;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * TensorRT's log, forwarded to the platform log. TensorRT reports why a parse or a build failed
 * only here, so the last error of each thread is kept for the exception that follows.
 *
 * <p>One per JVM (held by {@link TrtRuntime}): every builder and runtime keeps a reference to its
 * logger, so it must outlive all of them.
 */
final class TrtLogger extends ILogger {
    private static final Logger LOG = System.getLogger("com.factory.inspect.backend.tensorrt.TensorRT");
    private final ThreadLocal<String> lastError = new ThreadLocal<>();

    @Override
    public void log(Severity severity, String message) {
        int s = severity.value;
        if (s == Severity.kINTERNAL_ERROR.value || s == Severity.kERROR.value) {
            lastError.set(message);
            LOG.log(Level.ERROR, "TensorRT: {0}", message);
        } else if (s == Severity.kWARNING.value) {
            LOG.log(Level.WARNING, "TensorRT: {0}", message);
        } else if (s == Severity.kINFO.value) {
            LOG.log(Level.DEBUG, "TensorRT: {0}", message);
        } else {
            LOG.log(Level.TRACE, "TensorRT: {0}", message);
        }
    }

    /** The last error TensorRT logged on this thread since the last call, or {@code fallback}. */
    String takeLastError(String fallback) {
        String error = lastError.get();
        lastError.remove();
        return error == null ? fallback : error;
    }
}
