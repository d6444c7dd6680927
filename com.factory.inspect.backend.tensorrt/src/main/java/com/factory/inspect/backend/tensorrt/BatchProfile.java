package com.factory.inspect.backend.tensorrt;

/**
 * The batch sizes an engine accepts: TensorRT's optimization profile for the input's batch
 * dimension (it tunes kernels for {@code opt} and accepts {@code min..max}). Part of the engine
 * cache key.
 *
 * @param min smallest batch
 * @param opt batch the kernels are tuned for
 * @param max largest batch (device buffers are sized for it)
 */
record BatchProfile(int min, int opt, int max) {

    BatchProfile {
        if (min < 1 || opt < min || max < opt) {
            throw new IllegalArgumentException("batch profile needs 1 <= min <= opt <= max, got " + min + "/"
                    + opt + "/" + max);
        }
    }

    /**
     * The profile for a model whose descriptor gives {@code batch} ({@code -1} = dynamic): a fixed
     * batch is the only one; a dynamic batch gets {@code 1..max}, tuned for {@code opt}.
     */
    static BatchProfile of(int batch, int opt, int max) {
        return batch > 0 ? new BatchProfile(batch, batch, batch) : new BatchProfile(1, opt, max);
    }

    /** Whether the engine takes exactly one batch size. */
    boolean fixed() {
        return min == max;
    }

    boolean accepts(int batch) {
        return batch >= min && batch <= max;
    }

    /** {@code 1/4/8}, how the cache key and messages write it. */
    String text() {
        return min + "/" + opt + "/" + max;
    }
}
