package com.factory.inspect.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.backend.support.InFlightGuard;
import com.factory.inspect.backend.support.InferenceArguments;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A model running in an ONNX Runtime session. It owns the session: {@link #close()} waits for the
 * inferences in flight (an {@link InFlightGuard}) and then closes it. {@code OrtSession.run} is
 * thread-safe, so {@link #infer} runs concurrently without locks.
 *
 * <p>Input: a direct {@code FloatBuffer} in native byte order is handed to ONNX Runtime as it is (no
 * copy). ONNX Runtime copies any other buffer into a temporary direct buffer on every call (a heap
 * buffer's floats, or a direct buffer in the other byte order, which this class converts first).
 * Output: ONNX Runtime hands the result back as a copy, which is then put into the caller's buffer;
 * for a classifier that is a few floats per image.
 */
final class OrtLoadedModel implements LoadedModel {
    private static final Logger LOG = System.getLogger(OrtLoadedModel.class.getName());

    private final ModelDescriptor descriptor;
    private final String name;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelContract contract;
    private final Set<String> requestedOutputs;
    private final long inputPerItem;
    private final long outputPerItem;
    private final long[] itemShape;
    private final InFlightGuard guard;
    private final Consumer<OrtLoadedModel> onClose;

    /**
     * @param name how messages name the model
     * @param onClose told once the session is closed (the backend forgets the model)
     */
    OrtLoadedModel(ModelDescriptor descriptor, String name, OrtEnvironment environment, OrtSession session,
            ModelContract contract, Consumer<OrtLoadedModel> onClose) {
        this.descriptor = descriptor;
        this.name = name;
        this.environment = environment;
        this.session = session;
        this.contract = contract;
        this.onClose = onClose;
        this.requestedOutputs = Set.of(contract.outputName());
        this.inputPerItem = contract.inputSpec().elementsPerItem();
        this.outputPerItem = contract.outputSpec().elementsPerItem();
        this.itemShape = contract.inputSpec().shape().stream().mapToLong(Long::longValue).toArray();
        this.guard = new InFlightGuard(name);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String backendId() {
        return OnnxRuntimeBackend.ID;
    }

    @Override
    public TensorSpec inputSpec() {
        return contract.inputSpec();
    }

    @Override
    public TensorSpec outputSpec() {
        return contract.outputSpec();
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
            run(batchSize, tensorInput(input, (int) inCount), output, (int) outCount);
        } finally {
            guard.exit();
        }
    }

    private void run(int batchSize, FloatBuffer in, FloatBuffer output, int outCount) throws InferenceException {
        long[] shape = itemShape.clone();
        shape[0] = batchSize;
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, in, shape);
                OrtSession.Result result = session.run(Map.of(contract.inputName(), tensor), requestedOutputs)) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor out)) {
                throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + " returned a " + value.getType()
                        + " instead of a tensor");
            }
            FloatBuffer floats = out.getFloatBuffer();
            if (floats == null || floats.remaining() != outCount) {
                throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + " returned "
                        + (floats == null ? "no floats" : floats.remaining() + " floats") + " for " + batchSize
                        + " images, expected " + outCount);
            }
            output.put(floats);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + ": ONNX Runtime failed on a batch of "
                    + batchSize + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code count} floats from the input's position, as ONNX Runtime should see them, leaving the
     * caller's buffer position alone.
     */
    private static FloatBuffer tensorInput(FloatBuffer input, int count) {
        FloatBuffer view = input.slice(input.position(), count);
        if (!view.isDirect() || view.order() == ByteOrder.nativeOrder()) {
            return view; // direct: used in place; heap: ONNX Runtime copies it
        }
        // ONNX Runtime reads a direct buffer's memory as native-order floats: convert.
        FloatBuffer nativeOrder = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        nativeOrder.put(view).flip();
        return nativeOrder;
    }

    /** One inference on zeros with the smallest batch the model takes, so the first real one is fast. */
    void warmUp() throws InferenceException {
        int batch = contract.fixedBatch() > 0 ? (int) contract.fixedBatch() : 1;
        FloatBuffer zeros = ByteBuffer.allocateDirect((int) (batch * inputPerItem) * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        infer(batch, zeros, FloatBuffer.allocate((int) (batch * outputPerItem)));
    }

    /** Number of inferences running now. */
    long inFlight() {
        return guard.inFlight();
    }

    @Override
    public void close() {
        guard.closeAndAwait(() -> {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.log(Level.WARNING, "Closing the ONNX Runtime session of " + name + " failed", e);
            } finally {
                onClose.accept(this);
            }
        });
    }


    @Override
    public String toString() {
        return "OrtLoadedModel[" + name + ", " + contract.inputSpec() + " -> " + contract.outputSpec() + "]";
    }
}
