package com.factory.inspect.backend.tensorrt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system libraries the JNI wrappers of com.factory.inspect.lib.tensorrt link, and how their
 * absence is reported. They come with the device (JetPack), never with this product. Each is
 * opened on its own before the wrappers load, so that the reason names every missing one, TensorRT's
 * first.
 */
final class NativeLibraries {
    /** A shared library by its soname and what provides it. */
    record Library(String file, String providedBy) {
    }

    /** In the order a missing one is named: TensorRT, the driver, the CUDA runtime, cuDNN. */
    static final List<Library> REQUIRED = List.of(
            new Library("libnvinfer.so.10", "TensorRT 10"),
            new Library("libnvonnxparser.so.10", "TensorRT 10"),
            new Library("libnvinfer_plugin.so.10", "TensorRT 10"),
            new Library("libcuda.so.1", "the NVIDIA driver"),
            new Library("libcudart.so.12", "CUDA 12"),
            new Library("libcublas.so.12", "CUDA 12"),
            new Library("libcublasLt.so.12", "CUDA 12"),
            new Library("libnvrtc.so.12", "CUDA 12"),
            new Library("libcudnn_graph.so.9", "cuDNN 9"),
            new Library("libcudnn_ops.so.9", "cuDNN 9"),
            new Library("libcudnn_cnn.so.9", "cuDNN 9"),
            new Library("libcudnn_adv.so.9", "cuDNN 9"));

    /** What the backend needs, for the end of an "unavailable" reason. */
    static final String NEEDS = "the TensorRT backend needs TensorRT 10, CUDA 12 and cuDNN 9 with the NVIDIA "
            + "driver (JetPack 6.1 or newer)";

    private static final Pattern CANNOT_OPEN = Pattern.compile("([^\\s:/]+\\.so[.0-9]*): cannot open shared object file");

    private NativeLibraries() {
    }

    /**
     * Why the backend cannot load, from the libraries that failed to open.
     *
     * @param failures library file to the dynamic linker's error, in {@link #REQUIRED} order; not empty
     * @return e.g. {@code libnvinfer.so.10 not found; also missing: libcuda.so.1, libcudart.so.12; the
     *         TensorRT backend needs ...}
     */
    static String reason(Map<String, String> failures) {
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("no library failed");
        }
        List<String> others = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, String> failure : failures.entrySet()) {
            if (first == null) {
                first = describe(failure.getKey(), failure.getValue());
            } else {
                others.add(failure.getKey());
            }
        }
        return first + (others.isEmpty() ? "" : "; also missing: " + String.join(", ", others)) + "; " + NEEDS;
    }

    /**
     * One library's failure in a technician's words.
     *
     * @param library the soname that was opened, e.g. {@code libnvinfer.so.10}
     * @param error the dynamic linker's message
     * @return {@code libnvinfer.so.10 not found}, {@code libnvinfer.so.10 needs libcudart.so.12, which
     *         is not found}, or {@code libnvinfer.so.10 could not be loaded: <message>}
     */
    static String describe(String library, String error) {
        String message = error == null ? "" : error;
        Matcher m = CANNOT_OPEN.matcher(message);
        if (m.find()) {
            String missing = m.group(1);
            return missing.equals(library) ? library + " not found"
                    : library + " needs " + missing + ", which is not found";
        }
        return library + " could not be loaded: " + message;
    }
}
