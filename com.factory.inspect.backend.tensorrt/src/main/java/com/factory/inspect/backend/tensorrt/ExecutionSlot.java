package com.factory.inspect.backend.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * One inference at a time on an engine: an execution context (TensorRT's per-inference state, not
 * thread-safe), a CUDA stream, device buffers for every input and output sized for the largest
 * batch, and page-locked host buffers to copy through. Owns all of them; a slot is used by one thread
 * at a time ({@link TrtLoadedModel} hands slots out).
 */
final class ExecutionSlot implements AutoCloseable {
    private final String what;
    private final TensorSpec input;
    private final TensorSpec output;
    private final IExecutionContext context;
    private final Cuda.Stream stream;
    private final Cuda.DeviceBuffer deviceInput;
    private final Cuda.DeviceBuffer deviceOutput;
    private final List<Cuda.DeviceBuffer> otherOutputs;
    private final Cuda.HostFloats hostInput;
    private final Cuda.HostFloats hostOutput;
    private final Dims64 inputShape;
    private final long inputPerItem;
    private final long outputPerItem;
    private int shapeBatch = -1;

    private ExecutionSlot(Builder b) {
        this.what = b.what;
        this.input = b.contract.input();
        this.output = b.contract.output();
        this.context = b.context;
        this.stream = b.stream;
        this.deviceInput = b.deviceInput;
        this.deviceOutput = b.deviceOutput;
        this.otherOutputs = List.copyOf(b.otherOutputs);
        this.hostInput = b.hostInput;
        this.hostOutput = b.hostOutput;
        this.inputShape = b.inputShape;
        this.inputPerItem = input.elementsPerItem();
        this.outputPerItem = output.elementsPerItem();
    }

    /**
     * A slot for {@code engine}; releases what it made if a step fails.
     *
     * @param outputs all of the engine's outputs (TensorRT needs an address for each)
     * @param maxBatch the largest batch the engine accepts
     */
    static ExecutionSlot create(ICudaEngine engine, EngineContract contract, List<TensorSpec> outputs, int maxBatch,
            String what) throws InferenceException {
        Builder b = new Builder(what, contract);
        try {
            b.context = engine.createExecutionContext();
            if (b.context == null || b.context.isNull()) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, what + ": TensorRT could not create an "
                        + "execution context (out of device memory?)");
            }
            b.stream = new Cuda.Stream(what);
            long inCount = maxBatch * contract.input().elementsPerItem();
            long outCount = maxBatch * contract.output().elementsPerItem();
            b.deviceInput = new Cuda.DeviceBuffer(inCount * Float.BYTES, what);
            b.deviceOutput = new Cuda.DeviceBuffer(outCount * Float.BYTES, what);
            b.hostInput = new Cuda.HostFloats(inCount, what);
            b.hostOutput = new Cuda.HostFloats(outCount, what);
            bind(b.context, contract.input().name(), b.deviceInput, what);
            bind(b.context, contract.output().name(), b.deviceOutput, what);
            for (TensorSpec other : outputs.subList(1, outputs.size())) {
                Cuda.DeviceBuffer buffer = new Cuda.DeviceBuffer(bytes(other, maxBatch, what), what);
                b.otherOutputs.add(buffer);
                bind(b.context, other.name(), buffer, what);
            }
            long[] dims = contract.input().shape().stream().mapToLong(Long::longValue).toArray();
            b.inputShape = TrtTensors.dims(dims);
            return new ExecutionSlot(b);
        } catch (InferenceException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /**
     * Runs {@code batch} images: {@code input} holds exactly their floats, {@code output} receives
     * theirs from its position on (which is advanced).
     */
    void run(int batch, FloatBuffer input, FloatBuffer output) throws InferenceException {
        int inCount = (int) (batch * inputPerItem);
        int outCount = (int) (batch * outputPerItem);
        if (shapeBatch != batch) {
            inputShape.d(0, batch);
            if (!context.setInputShape(this.input.name(), inputShape)) {
                throw failed("TensorRT refused input shape batch " + batch);
            }
            shapeBatch = batch;
        }
        FloatBuffer in = hostInput.buffer().clear();
        in.put(input);
        Cuda.check(cudaMemcpyAsync(deviceInput.pointer(), hostInput.pointer(), (long) inCount * Float.BYTES,
                cudaMemcpyHostToDevice, this.stream.handle()), ErrorCode.INFERENCE_FAILED, what + ": copy to the GPU");
        if (!context.enqueueV3(this.stream.handle())) {
            throw failed("TensorRT could not enqueue the inference");
        }
        Cuda.check(cudaMemcpyAsync(hostOutput.pointer(), deviceOutput.pointer(), (long) outCount * Float.BYTES,
                cudaMemcpyDeviceToHost, this.stream.handle()), ErrorCode.INFERENCE_FAILED, what + ": copy from the GPU");
        Cuda.check(cudaStreamSynchronize(this.stream.handle()), ErrorCode.INFERENCE_FAILED, what + ": inference on "
                + "the GPU");
        output.put(hostOutput.buffer().clear().limit(outCount));
    }

    private InferenceException failed(String why) {
        return new InferenceException(ErrorCode.INFERENCE_FAILED, what + ": " + why);
    }

    private static void bind(IExecutionContext context, String tensor, Cuda.DeviceBuffer buffer, String what)
            throws InferenceException {
        if (!context.setTensorAddress(tensor, buffer.pointer())) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, what + ": TensorRT refused the address of "
                    + "tensor '" + tensor + "'");
        }
    }

    /** Bytes of an extra output for {@code maxBatch} items; its other dimensions must be known. */
    private static long bytes(TensorSpec spec, int maxBatch, String what) throws InferenceException {
        long n = maxBatch;
        for (int i = 1; i < spec.shape().size(); i++) {
            long d = spec.shape().get(i);
            if (d < 0) {
                throw new InferenceException(ErrorCode.SHAPE_MISMATCH, what + ": output '" + spec.name() + "' "
                        + spec.shape() + " has a dynamic dimension besides the batch; its size is unknown");
            }
            n *= d;
        }
        return Math.max(1, n) * TrtTensors.elementBytes(spec.elementType());
    }

    /** Releases the context, stream and buffers. The engine must still exist. */
    @Override
    public void close() {
        release(context, stream, deviceInput, deviceOutput, otherOutputs, hostInput, hostOutput, inputShape);
    }

    private static void release(IExecutionContext context, Cuda.Stream stream, Cuda.DeviceBuffer deviceInput,
            Cuda.DeviceBuffer deviceOutput, List<Cuda.DeviceBuffer> others, Cuda.HostFloats hostInput,
            Cuda.HostFloats hostOutput, Dims64 shape) {
        // The context first (it refers to the buffers), then the stream and memory it used.
        CppDelete.delete(context, IExecutionContext::new);
        for (AutoCloseable resource : new AutoCloseable[] {stream, deviceInput, deviceOutput, hostInput, hostOutput,
                shape}) {
            if (resource != null) {
                closeResource(resource);
            }
        }
        others.forEach(ExecutionSlot::closeResource);
    }

    /** Closes a resource whose close() declares no checked exception (the CUDA wrappers, Dims64). */
    private static void closeResource(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + resource + " failed", e);
        }
    }

    /** What {@link #create} has made so far, so a failure can release exactly that. */
    private static final class Builder {
        final String what;
        final EngineContract contract;
        final List<Cuda.DeviceBuffer> otherOutputs = new ArrayList<>();
        IExecutionContext context;
        Cuda.Stream stream;
        Cuda.DeviceBuffer deviceInput;
        Cuda.DeviceBuffer deviceOutput;
        Cuda.HostFloats hostInput;
        Cuda.HostFloats hostOutput;
        Dims64 inputShape;

        Builder(String what, EngineContract contract) {
            this.what = what;
            this.contract = contract;
        }

        void close() {
            release(context, stream, deviceInput, deviceOutput, otherOutputs, hostInput, hostOutput, inputShape);
        }
    }
}
