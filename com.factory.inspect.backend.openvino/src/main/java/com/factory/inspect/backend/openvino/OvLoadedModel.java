package com.factory.inspect.backend.openvino;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.backend.support.InFlightGuard;
import com.factory.inspect.backend.support.InferenceArguments;
import com.factory.inspect.lib.openvino.OpenVino;
import com.factory.inspect.lib.openvino.OpenVinoException;
import com.factory.inspect.lib.openvino.OvCompiledModel;
import com.factory.inspect.lib.openvino.OvInferRequest;
import com.factory.inspect.lib.openvino.OvModel;
import com.factory.inspect.lib.openvino.OvTensor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * A model compiled by OpenVINO for one device. It owns the model (with its weights), the compiled
 * model and a pool of infer requests: an infer request serves one thread at a time, so each
 * {@link #infer} takes an idle one or creates one, and puts it back afterwards. The pool grows to the
 * number of threads inferring at once. {@link #close()} waits for the inferences in flight (an
 * {@link InFlightGuard}) and then frees requests, compiled model and model, in that order.
 *
 * <p>Input: a direct {@code FloatBuffer} in native byte order is handed to OpenVINO in place;
 * anything else is copied into the request's own direct buffer first. Output: copied from the
 * request's output tensor into the caller's buffer (a few floats per image for a classifier).
 */
final class OvLoadedModel implements LoadedModel {
    private static final Logger LOG = System.getLogger(OvLoadedModel.class.getName());

    private final ModelDescriptor descriptor;
    private final String name;
    private final String device;
    private final OpenVino openVino;
    private final OvModel model;
    private final OvCompiledModel compiled;
    private final ModelContract contract;
    private final long inputPerItem;
    private final long outputPerItem;
    private final long[] itemShape;
    private final InFlightGuard guard;
    private final ConcurrentLinkedDeque<Request> idle = new ConcurrentLinkedDeque<>();
    private final Set<Request> requests = ConcurrentHashMap.newKeySet();
    private final Consumer<OvLoadedModel> onClose;

    /** An infer request and the buffer inputs are copied into when they cannot be used in place. */
    private static final class Request {
        final OvInferRequest request;
        FloatBuffer staging = FloatBuffer.allocate(0);

        Request(OvInferRequest request) {
            this.request = request;
        }

        FloatBuffer staging(int floats) {
            if (staging.capacity() < floats) {
                staging = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            staging.clear().limit(floats);
            return staging;
        }
    }

    /**
     * Takes ownership of {@code model} and {@code compiled}.
     *
     * @param name how messages name the model
     * @param onClose told once everything is freed (the backend forgets the model)
     */
    OvLoadedModel(ModelDescriptor descriptor, String name, String device, OpenVino openVino, OvModel model,
            OvCompiledModel compiled, ModelContract contract, Consumer<OvLoadedModel> onClose) {
        this.descriptor = descriptor;
        this.name = name;
        this.device = device;
        this.openVino = openVino;
        this.model = model;
        this.compiled = compiled;
        this.contract = contract;
        this.onClose = onClose;
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
        return OpenVinoBackend.ID;
    }

    @Override
    public TensorSpec inputSpec() {
        return contract.inputSpec();
    }

    @Override
    public TensorSpec outputSpec() {
        return contract.outputSpec();
    }

    /** The OpenVINO device it runs on. */
    String device() {
        return device;
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
            run(batchSize, input, (int) inCount, output, outCount);
        } finally {
            guard.exit();
        }
    }

    private void run(int batchSize, FloatBuffer input, int inCount, FloatBuffer output, long outCount)
            throws InferenceException {
        Request r = null;
        boolean reusable = false;
        try {
            r = acquire();
            long[] shape = itemShape.clone();
            shape[0] = batchSize;
            try (OvTensor in = OvTensor.wrapFloats(openVino, nativeInput(r, input, inCount), shape)) {
                r.request.setInput(in);
                r.request.infer();
            }
            try (OvTensor out = r.request.output(0)) {
                long size = out.size();
                if (size != outCount) {
                    throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + " returned " + size
                            + " floats for " + batchSize + " images, expected " + outCount);
                }
                out.copyTo(output);
            }
            reusable = true;
        } catch (OpenVinoException | RuntimeException e) {
            throw new InferenceException(ErrorCode.INFERENCE_FAILED, name + ": OpenVINO failed on a batch of "
                    + batchSize + " on " + device + ": " + e.getMessage(), e);
        } finally {
            if (r != null) {
                release(r, reusable);
            }
        }
    }

    private Request acquire() throws OpenVinoException {
        Request r = idle.pollFirst();
        if (r != null) {
            return r;
        }
        r = new Request(compiled.createInferRequest());
        requests.add(r);
        return r;
    }

    /** Back to the pool, or freed after a failure (its state is unknown). */
    private void release(Request r, boolean reusable) {
        if (reusable) {
            idle.offerFirst(r); // most recently used first: its memory is warm
        } else {
            requests.remove(r);
            r.request.close();
        }
    }

    /** The {@code count} floats from the input's position as a direct native-order buffer, copying only if needed. */
    private static FloatBuffer nativeInput(Request r, FloatBuffer input, int count) {
        FloatBuffer view = input.slice(input.position(), count);
        if (view.isDirect() && view.order() == ByteOrder.nativeOrder()) {
            return view;
        }
        FloatBuffer staging = r.staging(count);
        staging.put(view).flip();
        return staging;
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

    /** Number of infer requests created and not freed. */
    int requests() {
        return requests.size();
    }

    @Override
    public void close() {
        guard.closeAndAwait(() -> {
            try {
                for (Request r : requests) {
                    r.request.close();
                }
                requests.clear();
                idle.clear();
                compiled.close(); // before the model: the compiled model may use its weights in place
                model.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Freeing the OpenVINO objects of " + name + " failed", e);
            } finally {
                onClose.accept(this);
            }
        });
    }


    @Override
    public String toString() {
        return "OvLoadedModel[" + name + " on " + device + ", " + contract.inputSpec() + " -> "
                + contract.outputSpec() + "]";
    }
}
