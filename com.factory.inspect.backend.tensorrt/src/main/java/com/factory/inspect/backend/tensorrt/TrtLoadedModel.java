package com.factory.inspect.backend.tensorrt;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.backend.support.InFlightGuard;
import com.factory.inspect.backend.support.InferenceArguments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * A model running as a TensorRT engine. It owns its runtime, engine and execution slots:
 * {@link #close()} waits for the inferences in flight (an {@link InFlightGuard}) and then deletes
 * the slots, the engine and the runtime, in that order. Concurrent {@link #infer} calls each take a
 * slot (an execution context with its own stream and buffers); with more callers than slots, the
 * others wait for one.
 */
final class TrtLoadedModel implements LoadedModel {
    private final ModelDescriptor descriptor;
    private final String name;
    private final int device;
    /** TensorRT keeps a pointer to it in the runtime and engine: it must live as long as they do. */
    private final TrtLogger logger;
    private final IRuntime runtime;
    private final ICudaEngine engine;
    private final EngineContract contract;
    private final BatchProfile batches;
    private final List<ExecutionSlot> slots;
    private final BlockingQueue<ExecutionSlot> idle;
    private final InFlightGuard guard;
    private final Consumer<TrtLoadedModel> onClose;

    private TrtLoadedModel(ModelDescriptor descriptor, String name, int device, TrtLogger logger, IRuntime runtime,
            ICudaEngine engine, EngineContract contract, BatchProfile batches, List<ExecutionSlot> slots,
            Consumer<TrtLoadedModel> onClose) {
        this.descriptor = descriptor;
        this.name = name;
        this.device = device;
        this.logger = logger;
        this.runtime = runtime;
        this.engine = engine;
        this.contract = contract;
        this.batches = batches;
        this.slots = List.copyOf(slots);
        this.idle = new ArrayBlockingQueue<>(slots.size(), false, slots);
        this.guard = new InFlightGuard(name);
        this.onClose = onClose;
    }

    /**
     * Deserializes {@code plan} and prepares {@code contexts} execution slots.
     *
     * @return the model, or {@code null} if TensorRT does not accept the plan (damaged, or built by
     *         another TensorRT): the caller builds it again
     * @throws InferenceException {@code SHAPE_MISMATCH} if the engine does not fit the descriptor,
     *         {@code BACKEND_UNAVAILABLE} when CUDA or TensorRT fail to set it up
     */
    static TrtLoadedModel open(ModelSource model, String name, byte[] plan, int device, int contexts, TrtLogger logger,
            Consumer<TrtLoadedModel> onClose) throws InferenceException {
        Cuda.use(device, name);
        IRuntime runtime = null;
        ICudaEngine engine = null;
        List<ExecutionSlot> slots = new ArrayList<>();
        try {
            // The library's own version, not the bindings' header version: see EngineBuilder.
            runtime = new IRuntime(nvinfer.createInferRuntime_INTERNAL(logger, nvinfer.getInferLibVersion()));
            if (runtime.isNull()) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, name + ": TensorRT could not create a "
                        + "runtime: " + logger.takeLastError("no reason logged"));
            }
            try (BytePointer bytes = new BytePointer(plan)) {
                engine = runtime.deserializeCudaEngine(bytes, plan.length);
            }
            if (engine == null || engine.isNull()) {
                logger.takeLastError("");
                CppDelete.delete(runtime, IRuntime::new);
                return null;
            }
            EngineContract contract = EngineContract.check(TrtTensors.io(engine, true), TrtTensors.io(engine, false),
                    model);
            BatchProfile batches = batches(engine, contract.input());
            List<TensorSpec> outputs = TrtTensors.io(engine, false);
            for (int i = 0; i < contexts; i++) {
                slots.add(ExecutionSlot.create(engine, contract, outputs, batches.max(), name));
            }
            return new TrtLoadedModel(model.descriptor(), name, device, logger, runtime, engine, contract, batches,
                    slots, onClose);
        } catch (InferenceException | RuntimeException e) {
            release(slots, engine, runtime);
            throw e;
        }
    }

    /** The batch sizes the engine takes: its fixed batch, or its optimization profile's range. */
    private static BatchProfile batches(ICudaEngine engine, TensorSpec input) {
        long batch = input.shape().get(0);
        if (batch > 0) {
            return new BatchProfile((int) batch, (int) batch, (int) batch);
        }
        long min = TrtTensors.shape(engine.getProfileShape(input.name(), 0, OptProfileSelector.kMIN)).get(0);
        long opt = TrtTensors.shape(engine.getProfileShape(input.name(), 0, OptProfileSelector.kOPT)).get(0);
        long max = TrtTensors.shape(engine.getProfileShape(input.name(), 0, OptProfileSelector.kMAX)).get(0);
        return new BatchProfile((int) min, (int) opt, (int) max);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String backendId() {
        return TensorRtBackend.ID;
    }

    @Override
    public TensorSpec inputSpec() {
        return contract.input();
    }

    @Override
    public TensorSpec outputSpec() {
        return contract.output();
    }

    /** The batch sizes this engine accepts. */
    BatchProfile batches() {
        return batches;
    }

    @Override
    public void infer(int batchSize, FloatBuffer input, FloatBuffer output) throws InferenceException {
        if (!batches.accepts(batchSize)) {
            throw badInput("batch size " + batchSize + " is not accepted; the engine takes "
                    + (batches.fixed() ? "exactly " + batches.max() : batches.min() + " to " + batches.max())
                    + " images (batch.max sets the largest)");
        }
        InferenceArguments.check(name, batchSize, 0, input, contract.input().elementsPerItem(), output,
                contract.output().elementsPerItem());
        long inCount = batchSize * contract.input().elementsPerItem();
        long outCount = batchSize * contract.output().elementsPerItem();
        if (!guard.enter()) {
            throw new InferenceException(ErrorCode.CLOSED, name + " is closed");
        }
        try {
            ExecutionSlot slot = take();
            try {
                Cuda.use(device, name);
                slot.run(batchSize, input.slice(input.position(), (int) inCount), output);
            } finally {
                idle.add(slot);
            }
        } finally {
            guard.exit();
        }
    }

    private ExecutionSlot take() throws InferenceException {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + ": interrupted while waiting for an "
                    + "execution context (all " + slots.size() + " busy)", e);
        }
    }

    /** One inference on zeros with the smallest batch the engine takes, so the first real one is fast. */
    void warmUp() throws InferenceException {
        int batch = batches.min();
        long in = batch * contract.input().elementsPerItem();
        long out = batch * contract.output().elementsPerItem();
        FloatBuffer zeros = ByteBuffer.allocateDirect((int) in * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        infer(batch, zeros, FloatBuffer.allocate((int) out));
    }

    @Override
    public void close() {
        guard.closeAndAwait(() -> {
            try {
                Cuda.use(device, name);
            } catch (InferenceException e) {
                System.getLogger(TrtLoadedModel.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
            } finally {
                try {
                    release(slots, engine, runtime);
                } finally {
                    onClose.accept(this);
                }
            }
        });
    }

    /** Slots, then the engine, then the runtime: each must go before what it was made from. */
    private static void release(List<ExecutionSlot> slots, ICudaEngine engine, IRuntime runtime) {
        slots.forEach(ExecutionSlot::close);
        CppDelete.delete(engine, ICudaEngine::new);
        CppDelete.delete(runtime, IRuntime::new);
    }

    private InferenceException badInput(String what) {
        return new InferenceException(ErrorCode.BAD_INPUT, name + ": " + what);
    }

    @Override
    public String toString() {
        return "TrtLoadedModel[" + name + ", " + contract.input() + " -> " + contract.output() + ", batch "
                + batches.text() + "]";
    }
}
