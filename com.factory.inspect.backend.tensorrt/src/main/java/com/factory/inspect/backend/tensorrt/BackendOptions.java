package com.factory.inspect.backend.tensorrt;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The backend's configuration, checked and immutable. A value that cannot be used falls back to its
 * default with a warning: a typo in a configuration file must not take the GPU backend away.
 *
 * @param rank preference among backends (higher wins)
 * @param engineCacheDir where serialized engines are kept (relative paths start at the working folder)
 * @param precision which reduced precisions engines may use
 * @param workspaceBytes the most device memory TensorRT may use as scratch space while building
 * @param deviceIndex the CUDA device engines are built for and run on
 * @param optBatch the batch size engines are tuned for (models with a dynamic batch)
 * @param maxBatch the largest batch size engines accept (models with a dynamic batch)
 * @param contexts execution contexts per loaded model: how many inferences run at the same time
 */
record BackendOptions(int rank, Path engineCacheDir, TensorRtBackend.PrecisionPolicy precision, long workspaceBytes,
        int deviceIndex, int optBatch, int maxBatch, int contexts) {

    private static final Logger LOG = System.getLogger(BackendOptions.class.getName());

    static final int DEFAULT_RANK = 100;
    static final String DEFAULT_ENGINE_CACHE_DIR = "var/tensorrt-engines";
    static final int DEFAULT_WORKSPACE_MB = 256;
    static final int MAX_WORKSPACE_MB = 64 * 1024;
    static final int DEFAULT_OPT_BATCH = 1;
    static final int DEFAULT_MAX_BATCH = 8;
    static final int MAX_BATCH_LIMIT = 256;
    static final int DEFAULT_CONTEXTS = 2;
    static final int MAX_CONTEXTS = 16;
    private static final long MB = 1024L * 1024;

    /** The defaults, as when no configuration exists. */
    static final BackendOptions DEFAULTS = new BackendOptions(DEFAULT_RANK, Path.of(DEFAULT_ENGINE_CACHE_DIR),
            TensorRtBackend.PrecisionPolicy.AUTO, DEFAULT_WORKSPACE_MB * MB, 0, DEFAULT_OPT_BATCH, DEFAULT_MAX_BATCH,
            DEFAULT_CONTEXTS);

    BackendOptions {
        Objects.requireNonNull(engineCacheDir, "engineCacheDir");
        Objects.requireNonNull(precision, "precision");
        if (workspaceBytes < MB || deviceIndex < 0 || optBatch < 1 || maxBatch < optBatch || maxBatch > MAX_BATCH_LIMIT
                || contexts < 1 || contexts > MAX_CONTEXTS) {
            throw new IllegalArgumentException("invalid TensorRT backend options: workspace " + workspaceBytes
                    + " bytes, device " + deviceIndex + ", batch " + optBatch + "/" + maxBatch + ", contexts " + contexts);
        }
    }

    /** Reads a configuration, replacing each value that cannot be used by its default. */
    static BackendOptions from(TensorRtBackend.Config config) {
        int rank = read("rank", config::rank, DEFAULT_RANK);
        Path dir = cacheDir(read("engine.cache.dir", config::engine_cache_dir, DEFAULT_ENGINE_CACHE_DIR));
        TensorRtBackend.PrecisionPolicy precision = read("precision", config::precision, DEFAULTS.precision);
        int workspace = within("workspace.mb", read("workspace.mb", config::workspace_mb, DEFAULT_WORKSPACE_MB), 1,
                MAX_WORKSPACE_MB, DEFAULT_WORKSPACE_MB);
        int device = within("device.index", read("device.index", config::device_index, 0), 0, Integer.MAX_VALUE, 0);
        int max = within("batch.max", read("batch.max", config::batch_max, DEFAULT_MAX_BATCH), 1, MAX_BATCH_LIMIT,
                DEFAULT_MAX_BATCH);
        int opt = within("batch.opt", read("batch.opt", config::batch_opt, DEFAULT_OPT_BATCH), 1, MAX_BATCH_LIMIT,
                DEFAULT_OPT_BATCH);
        if (opt > max) {
            LOG.log(Level.WARNING, "TensorRT backend: batch.opt = {0} is above batch.max = {1}; using {1}",
                    Integer.toString(opt), Integer.toString(max));
            opt = max;
        }
        int contexts = within("contexts", read("contexts", config::contexts, DEFAULT_CONTEXTS), 1, MAX_CONTEXTS,
                DEFAULT_CONTEXTS);
        return new BackendOptions(rank, dir, precision, workspace * MB, device, opt, max, contexts);
    }

    /** {@code 256 MB workspace, batch 1/8, 2 contexts}, how availability and logs describe the options. */
    String describe() {
        return precision + " precision, " + workspaceBytes / MB + " MB workspace, batch up to " + maxBatch
                + " (tuned for " + optBatch + "), " + contexts + " contexts, engines in " + engineCacheDir;
    }

    private static Path cacheDir(String value) {
        try {
            if (value.isBlank()) {
                throw new InvalidPathException(value, "empty");
            }
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            LOG.log(Level.WARNING, "TensorRT backend: engine.cache.dir = ''{0}'' is not a path ({1}); using {2}", value,
                    e.getMessage(), DEFAULT_ENGINE_CACHE_DIR);
            return Path.of(DEFAULT_ENGINE_CACHE_DIR);
        }
    }

    private static int within(String name, int value, int min, int max, int fallback) {
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? min + " or more" : min + ".." + max;
            LOG.log(Level.WARNING, "TensorRT backend: {0} = {1} is not {2}; using {3}", name, Integer.toString(value),
                    range, Integer.toString(fallback));
            return fallback;
        }
        return value;
    }

    /** Component property types convert lazily, so a bad value surfaces here, per attribute. */
    private static <T> T read(String name, Supplier<T> value, T fallback) {
        try {
            return Objects.requireNonNull(value.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TensorRT backend: {0} has an invalid value ({1}); using {2}", name, e.getMessage(),
                    fallback);
            return fallback;
        }
    }
}
