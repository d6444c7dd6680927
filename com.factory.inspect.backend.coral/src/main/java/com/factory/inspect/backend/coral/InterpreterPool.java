package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * A fixed set of interpreters of one model, lent to one thread at a time: TensorFlow Lite
 * interpreters are not thread-safe, so concurrent inferences each need their own. All are built up
 * front (building one packs the weights for XNNPACK, which must not happen under a deadline), and
 * the most recently returned one is lent first, so a lone caller keeps a cache-warm interpreter.
 * A caller that finds none free waits for one.
 */
final class InterpreterPool implements AutoCloseable {
    /** Builds one interpreter. */
    interface Factory {
        NativeInterpreter create() throws InferenceException;
    }

    private final List<NativeInterpreter> all;
    private final BlockingDeque<NativeInterpreter> idle;

    private InterpreterPool(List<NativeInterpreter> all) {
        this.all = List.copyOf(all);
        this.idle = new LinkedBlockingDeque<>(all);
    }

    /**
     * Builds {@code size} interpreters; if one fails, those already built are closed.
     *
     * @param size at least 1
     */
    static InterpreterPool create(int size, Factory factory) throws InferenceException {
        if (size < 1) {
            throw new IllegalArgumentException("an interpreter pool needs at least one interpreter, not " + size);
        }
        List<NativeInterpreter> built = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                built.add(factory.create());
            }
            return new InterpreterPool(built);
        } catch (InferenceException | RuntimeException | Error e) {
            built.forEach(NativeInterpreter::close);
            throw e;
        }
    }

    /** Number of interpreters. */
    int size() {
        return all.size();
    }

    /** Any interpreter, for reading the model's tensors; not for running it. */
    NativeInterpreter first() {
        return all.get(0);
    }

    /**
     * Takes an interpreter, waiting until one is free; give it back with {@link #release}.
     *
     * @param name how messages name the model
     * @throws InferenceException {@code INFERENCE_FAILED} if interrupted while waiting (the interrupt
     *         status is kept)
     */
    NativeInterpreter acquire(String name) throws InferenceException {
        try {
            return idle.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + ": interrupted while waiting for one of "
                    + all.size() + " interpreter(s)", e);
        }
    }

    /** Returns an interpreter taken with {@link #acquire}. */
    void release(NativeInterpreter interpreter) {
        idle.addFirst(interpreter);
    }

    /** Closes every interpreter; only once none is lent (the model's in-flight guard ensures it). */
    @Override
    public void close() {
        all.forEach(NativeInterpreter::close);
    }
}
