package com.factory.inspect.backend.openvino;

import com.factory.inspect.lib.openvino.LibrarySearch;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The backend's configuration, checked and immutable. An unusable device name is kept as an error:
 * the backend then reports itself unavailable with it, because falling back to another device would
 * hide a typo in a choice that decides where the line's inferences run. Other bad values (rank,
 * threads, hint, a relative cache folder) fall back to their default with a warning.
 *
 * @param rank preference among backends (higher wins)
 * @param device OpenVINO device name ({@code CPU}, {@code GPU}, {@code GPU.1}, {@code NPU},
 *        {@code AUTO}); empty when {@code deviceError} is set
 * @param deviceError why the configured device name cannot be used; empty when it can
 * @param cacheDir folder for OpenVINO's compiled-model cache, or null for no cache
 * @param libraryPath configured {@code libopenvino_c.so} file or folder; empty for the standard search
 * @param hint performance hint passed when compiling
 * @param inferenceThreads CPU inference threads; 0 lets OpenVINO choose (CPU device only)
 */
record BackendOptions(int rank, String device, String deviceError, Path cacheDir, String libraryPath,
        PerformanceHint hint, int inferenceThreads) {

    private static final Logger LOG = System.getLogger(BackendOptions.class.getName());

    /**
     * Above the CPU fallback ({@code onnxruntime-cpu}, 10): on Intel hardware OpenVINO is the faster
     * runtime even on the CPU, and it is the only one here for Intel GPUs and NPUs.
     */
    static final int DEFAULT_RANK = 30;
    /**
     * The CPU by default, not AUTO: the same hardware on every start, so the latency measured at
     * commissioning is the latency the line gets. AUTO may pick a GPU on one start and the CPU on the
     * next (driver missing or busy), and it runs the first inferences on the CPU while the GPU
     * compiles, so results near the threshold could differ between the first parts and the rest
     * (GPUs run in f16 by default). A GPU or NPU is chosen explicitly, and availability says when it
     * is missing.
     */
    static final String DEFAULT_DEVICE = "CPU";
    static final BackendOptions DEFAULTS = new BackendOptions(DEFAULT_RANK, DEFAULT_DEVICE, "", null, "",
            PerformanceHint.LATENCY, 0);

    BackendOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(deviceError, "deviceError");
        Objects.requireNonNull(libraryPath, "libraryPath");
        Objects.requireNonNull(hint, "hint");
        if (device.isEmpty() == deviceError.isEmpty()) {
            throw new IllegalArgumentException("either a device or the reason there is none");
        }
        if (inferenceThreads < 0) {
            throw new IllegalArgumentException("inference threads must be 0 (OpenVINO's choice) or positive, got "
                    + inferenceThreads);
        }
        if (cacheDir != null && !cacheDir.isAbsolute()) {
            throw new IllegalArgumentException("cache folder must be absolute, got " + cacheDir);
        }
    }

    /** Reads a configuration, keeping a bad device as an error and replacing other bad values by defaults. */
    static BackendOptions from(OpenVinoBackend.Config config) {
        String device = "";
        String deviceError = "";
        try {
            device = Devices.parse(config.device());
        } catch (RuntimeException e) {
            deviceError = "configuration " + OpenVinoBackend.PID + ": " + e.getMessage();
            LOG.log(Level.ERROR, "OpenVINO backend: {0}; the backend stays unavailable until it is corrected",
                    deviceError);
        }
        int threads = read("inference.threads", config::inference_threads, 0);
        if (threads < 0) {
            LOG.log(Level.WARNING, "OpenVINO backend: inference.threads = {0} is negative; using 0 (OpenVINO''s "
                    + "choice)", threads);
            threads = 0;
        }
        if (threads > 0 && !device.equals("CPU") && deviceError.isEmpty()) {
            LOG.log(Level.INFO, "OpenVINO backend: inference.threads applies to the CPU only; ignored for {0}",
                    device);
        }
        return new BackendOptions(read("rank", config::rank, DEFAULT_RANK), device, deviceError,
                cacheDir(read("cache.dir", config::cache_dir, "")).orElse(null),
                read("library.path", config::library_path, "").trim(),
                read("performance.hint", config::performance_hint, DEFAULTS.hint), threads);
    }

    /** Where to look for {@code libopenvino_c.so}. */
    LibrarySearch librarySearch() {
        return LibrarySearch.standard(libraryPath);
    }

    /** How {@code availability()} describes the settings. */
    String settingsText() {
        return "hint " + hint + (inferenceThreads > 0 && device.equals("CPU") ? ", " + inferenceThreads
                + " inference threads" : "") + (cacheDir == null ? "" : ", cache " + cacheDir);
    }

    /** An absolute folder, or empty (no cache) for blank or relative values, which would depend on the working folder. */
    static Optional<Path> cacheDir(String configured) {
        if (configured == null || configured.isBlank()) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(configured.trim());
            if (p.isAbsolute()) {
                return Optional.of(p.normalize());
            }
        } catch (InvalidPathException e) {
            LOG.log(Level.WARNING, "OpenVINO backend: cache.dir ''{0}'' is not a path ({1}); compiling without "
                    + "a cache", configured, e.getMessage());
            return Optional.empty();
        }
        LOG.log(Level.WARNING, "OpenVINO backend: cache.dir ''{0}'' is relative; give an absolute folder. "
                + "Compiling without a cache", configured);
        return Optional.empty();
    }

    /** Component property types convert lazily, so a bad value surfaces here, per attribute. */
    private static <T> T read(String name, Supplier<T> value, T fallback) {
        try {
            return Objects.requireNonNull(value.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "OpenVINO backend: {0} has an invalid value ({1}); using {2}", name,
                    e.getMessage(), fallback);
            return fallback;
        }
    }
}
