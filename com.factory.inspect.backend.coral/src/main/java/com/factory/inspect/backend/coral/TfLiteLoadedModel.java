package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.backend.support.InFlightGuard;
import com.factory.inspect.backend.support.InferenceArguments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A model running on TensorFlow Lite. It owns the model and its interpreters: {@link #close()} waits
 * for the inferences in flight (an {@link InFlightGuard}), then closes the interpreters (and their
 * delegates) and last the model. Concurrent {@link #infer} calls each borrow an interpreter from the
 * pool; with more callers than interpreters, the extra ones wait.
 *
 * <p>Input and output are copied between the caller's buffers and the interpreter's tensors (a bulk
 * copy for float32, a conversion for quantised tensors): TensorFlow Lite owns its tensor memory.
 */
final class TfLiteLoadedModel implements LoadedModel {
    private final ModelDescriptor descriptor;
    private final String backendId;
    private final String name;
    private final ModelContract contract;
    private final NativeModel model;
    private final InterpreterPool pool;
    private final long inputPerItem;
    private final long outputPerItem;
    private final InFlightGuard guard;
    private final Consumer<TfLiteLoadedModel> onClose;

    /**
     * @param name how messages name the model
     * @param model owned from now on: closed with this, after the pool
     * @param pool owned from now on
     * @param onClose told once the native handles are released (the backend forgets the model)
     */
    TfLiteLoadedModel(ModelDescriptor descriptor, String backendId, String name, ModelContract contract,
            NativeModel model, InterpreterPool pool, Consumer<TfLiteLoadedModel> onClose) {
        this.descriptor = descriptor;
        this.backendId = backendId;
        this.name = name;
        this.contract = contract;
        this.model = model;
        this.pool = pool;
        this.onClose = onClose;
        this.inputPerItem = contract.inputSpec().elementsPerItem();
        this.outputPerItem = contract.outputSpec().elementsPerItem();
        this.guard = new InFlightGuard(name);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String backendId() {
        return backendId;
    }

    @Override
    public TensorSpec inputSpec() {
        return contract.inputSpec();
    }

    @Override
    public TensorSpec outputSpec() {
        return contract.outputSpec();
    }

    /** Number of interpreters that can run at the same time. */
    int interpreters() {
        return pool.size();
    }

    @Override
    public void infer(int batchSize, FloatBuffer input, FloatBuffer output) throws InferenceException {
        InferenceArguments.check(name, batchSize, contract.fixedBatch(), input, inputPerItem, output, outputPerItem);
        long inCount = batchSize * inputPerItem;
        long outCount = batchSize * outputPerItem;
        if (!guard.enter()) {
            throw new InferenceException(ErrorCode.CLOSED, name + " is closed");
        }
        try {
            NativeInterpreter interpreter = pool.acquire(name);
            try {
                interpreter.run(batchSize, input, (int) inCount, output, (int) outCount);
            } finally {
                pool.release(interpreter);
            }
        } catch (RuntimeException e) {
            throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + ": TensorFlow Lite failed on a batch of "
                    + batchSize + ": " + e, e);
        } finally {
            guard.exit();
        }
    }

    /**
     * One inference on zeros on every interpreter with the smallest batch the model takes, so the
     * first real ones are fast. Runs before the model is handed out, so all interpreters are free.
     */
    void warmUp() throws InferenceException {
        int batch = contract.fixedBatch() > 0 ? (int) contract.fixedBatch() : 1;
        int inCount = (int) (batch * inputPerItem);
        int outCount = (int) (batch * outputPerItem);
        FloatBuffer zeros = ByteBuffer.allocateDirect(inCount * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        List<NativeInterpreter> all = new ArrayList<>(pool.size());
        try {
            while (all.size() < pool.size()) {
                all.add(pool.acquire(name));
            }
            for (NativeInterpreter interpreter : all) {
                interpreter.run(batch, zeros, inCount, FloatBuffer.allocate(outCount), outCount);
            }
        } finally {
            all.forEach(pool::release);
        }
    }

    /** Number of inferences running now. */
    long inFlight() {
        return guard.inFlight();
    }

    @Override
    public void close() {
        guard.closeAndAwait(() -> {
            try {
                pool.close();
                model.close();
            } finally {
                onClose.accept(this);
            }
        });
    }


    @Override
    public String toString() {
        return "TfLiteLoadedModel[" + name + " on " + backendId + ", " + contract.inputSpec() + " -> "
                + contract.outputSpec() + ", " + pool.size() + " interpreter(s)]";
    }
}
