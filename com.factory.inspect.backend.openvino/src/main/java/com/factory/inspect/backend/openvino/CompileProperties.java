package com.factory.inspect.backend.openvino;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The properties a model is compiled with, as the C API takes them: key, value, key, value, ...
 * (OpenVINO parses each value from its string).
 */
final class CompileProperties {
    static final String CACHE_DIR = "CACHE_DIR";
    static final String PERFORMANCE_HINT = "PERFORMANCE_HINT";
    static final String INFERENCE_NUM_THREADS = "INFERENCE_NUM_THREADS";

    private static final Logger LOG = System.getLogger(CompileProperties.class.getName());

    private CompileProperties() {
    }

    /**
     * The properties for {@code options}. The thread count goes to the CPU only: the GPU and NPU
     * plugins reject it as an unsupported property, which would fail the compilation.
     *
     * @param cacheDir the usable cache folder ({@link #usableCacheDir}), empty for none
     */
    static List<String> of(BackendOptions options, Optional<Path> cacheDir) {
        List<String> properties = new ArrayList<>();
        cacheDir.ifPresent(dir -> {
            properties.add(CACHE_DIR);
            properties.add(dir.toString());
        });
        if (options.hint() != PerformanceHint.DEVICE_DEFAULT) {
            properties.add(PERFORMANCE_HINT);
            properties.add(options.hint().name());
        }
        if (options.inferenceThreads() > 0 && options.device().equals("CPU")) {
            properties.add(INFERENCE_NUM_THREADS);
            properties.add(Integer.toString(options.inferenceThreads()));
        }
        return List.copyOf(properties);
    }

    /**
     * The configured cache folder if it exists or can be created, and can be written; else empty,
     * with a warning. A cache only saves compile time, so a cache problem must not stop a model from
     * loading (OpenVINO would fail the compilation on an unwritable folder).
     */
    static Optional<Path> usableCacheDir(Path configured) {
        if (configured == null) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(configured);
        } catch (IOException | SecurityException e) {
            LOG.log(Level.WARNING, "OpenVINO backend: cache folder {0} cannot be created ({1}); compiling without "
                    + "a cache", configured, e.toString());
            return Optional.empty();
        }
        if (!Files.isWritable(configured)) {
            LOG.log(Level.WARNING, "OpenVINO backend: cache folder {0} is not writable; compiling without a cache",
                    configured);
            return Optional.empty();
        }
        return Optional.of(configured);
    }
}
