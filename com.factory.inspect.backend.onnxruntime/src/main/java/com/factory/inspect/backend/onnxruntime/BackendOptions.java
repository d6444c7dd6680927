package com.factory.inspect.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The backend's configuration, checked and immutable. Invalid values fall back to their default
 * with a warning: a typo must not take away the CPU fallback backend.
 *
 * @param rank preference among backends (higher wins)
 * @param intraOpThreads threads one operator may use; 0 lets ONNX Runtime pick (one per core)
 * @param interOpThreads threads running independent operators in {@code PARALLEL} mode; 0 lets
 *        ONNX Runtime pick
 * @param optimizationLevel graph optimisations applied when a model is loaded
 * @param executionMode whether independent operators may run in parallel
 * @param cpuArena whether sessions keep ONNX Runtime's memory arena (faster allocation; more resident
 *        memory after many model switches, see BENCHMARKS.md)
 */
record BackendOptions(int rank, int intraOpThreads, int interOpThreads,
        OnnxRuntimeBackend.OptimizationLevel optimizationLevel, OnnxRuntimeBackend.ExecutionMode executionMode,
        boolean cpuArena) {

    private static final Logger LOG = System.getLogger(BackendOptions.class.getName());

    static final int DEFAULT_RANK = 10;
    static final int DEFAULT_THREADS = 1;
    /** The defaults, as when no configuration exists. */
    static final BackendOptions DEFAULTS = new BackendOptions(DEFAULT_RANK, DEFAULT_THREADS, DEFAULT_THREADS,
            OnnxRuntimeBackend.OptimizationLevel.ALL, OnnxRuntimeBackend.ExecutionMode.SEQUENTIAL, true);

    BackendOptions {
        Objects.requireNonNull(optimizationLevel, "optimizationLevel");
        Objects.requireNonNull(executionMode, "executionMode");
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (ONNX Runtime's choice) or positive, got "
                    + intraOpThreads + " and " + interOpThreads);
        }
    }

    /** Reads a configuration, replacing each value that cannot be used by its default. */
    static BackendOptions from(OnnxRuntimeBackend.Config config) {
        return new BackendOptions(
                read("rank", config::rank, DEFAULTS.rank),
                threads("intra.op.threads", read("intra.op.threads", config::intra_op_threads, DEFAULT_THREADS)),
                threads("inter.op.threads", read("inter.op.threads", config::inter_op_threads, DEFAULT_THREADS)),
                read("optimization.level", config::optimization_level, DEFAULTS.optimizationLevel),
                read("execution.mode", config::execution_mode, DEFAULTS.executionMode),
                read("cpu.arena", config::cpu_arena, DEFAULTS.cpuArena));
    }

    /**
     * New ONNX Runtime session options with these settings; the caller closes them once the session
     * is created.
     */
    SessionOptions sessionOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(optimizationLevel.ort());
            options.setExecutionMode(executionMode.ort());
            options.setCPUArenaAllocator(cpuArena);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** How {@code availability()} describes the thread setting. */
    String intraOpThreadsText() {
        return intraOpThreads == 0 ? "one intra-op thread per core" : intraOpThreads + " intra-op threads";
    }

    private static int threads(String name, int value) {
        if (value < 0) {
            LOG.log(Level.WARNING, "ONNX Runtime backend: {0} = {1} is negative; using {2}", name, value,
                    DEFAULT_THREADS);
            return DEFAULT_THREADS;
        }
        return value;
    }

    /** Component property types convert lazily, so a bad value surfaces here, per attribute. */
    private static <T> T read(String name, Supplier<T> value, T fallback) {
        try {
            return Objects.requireNonNull(value.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ONNX Runtime backend: {0} has an invalid value ({1}); using {2}", name,
                    e.getMessage(), fallback);
            return fallback;
        }
    }
}
