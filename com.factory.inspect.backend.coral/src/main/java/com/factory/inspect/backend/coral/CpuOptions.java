package com.factory.inspect.backend.coral;

/**
 * The CPU backend's configuration, checked and immutable. Invalid values fall back to their
 * default with a warning: a typo must not take away a CPU backend.
 *
 * @param rank preference among backends (higher wins)
 * @param threads XNNPACK threads one inference may use; 1 runs it on the calling thread
 * @param interpreters interpreters per model, so that many inferences of one model run at once; 0
 *        for one per core
 */
record CpuOptions(int rank, int threads, int interpreters) {
    static final String ID = TfLiteCpuBackend.ID;
    /** Below onnxruntime-cpu's default of 10: where both can run a model, ONNX Runtime is the measured one. */
    static final int DEFAULT_RANK = 5;
    static final int DEFAULT_THREADS = 1;
    /**
     * One interpreter per core, as the gate runs one worker per core: no worker waits for another's
     * interpreter. An interpreter is not thread-safe, so one shared behind a lock serialises the
     * workers (twin model, batch 1, 4 threads, 2 cores shared with other jobs: 137k images/s with 1
     * interpreter, 240k with 2 or 4; equal in a run under heavier outside load; InterpreterPoolBenchmark).
     * Each one costs its tensor arena and XNNPACK's packed copy of the weights.
     */
    static final int DEFAULT_INTERPRETERS = 0;
    static final CpuOptions DEFAULTS = new CpuOptions(DEFAULT_RANK, DEFAULT_THREADS, DEFAULT_INTERPRETERS);

    CpuOptions {
        if (threads < 1 || interpreters < 0) {
            throw new IllegalArgumentException("threads must be at least 1 and interpreters at least 0, got "
                    + threads + " and " + interpreters);
        }
    }

    /** Reads a configuration, replacing each value that cannot be used by its default. */
    static CpuOptions from(TfLiteCpuBackend.Config config) {
        return new CpuOptions(
                ConfigValues.read(ID, "rank", config::rank, DEFAULT_RANK),
                ConfigValues.atLeast(ID, "threads", ConfigValues.read(ID, "threads", config::threads,
                        DEFAULT_THREADS), 1, DEFAULT_THREADS),
                ConfigValues.atLeast(ID, "interpreters", ConfigValues.read(ID, "interpreters", config::interpreters,
                        DEFAULT_INTERPRETERS), 0, DEFAULT_INTERPRETERS));
    }

    /** The number of interpreters a model gets on this machine. */
    int interpreterCount() {
        return interpreters == 0 ? Runtime.getRuntime().availableProcessors() : interpreters;
    }
}
