package com.factory.inspect.itest;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A second, minimal backend for the tests: real ONNX Runtime inference, straight on the library
 * bundle, so a test can take the product backend away and see the line move here. Not a fake:
 * its results are computed.
 */
final class SecondCpuBackend implements InferenceBackend {
    static final String ID = "onnxruntime-itest";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int rank() {
        return 1; // below the product CPU backend (10)
    }

    @Override
    public Availability availability() {
        return Availability.available("CPU (integration test backend)");
    }

    @Override
    public Set<ModelFormat> acceptedFormats() {
        return Set.of(ModelFormat.ONNX);
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            return new Loaded(env, env.createSession(model.readModel(), options), model.descriptor());
        } catch (OrtException e) {
            throw new InferenceException(ErrorCode.MODEL_INVALID, e.getMessage(), e);
        }
    }

    private static final class Loaded implements LoadedModel {
        private final OrtEnvironment env;
        private final OrtSession session;
        private final ModelDescriptor descriptor;
        private boolean closed;

        Loaded(OrtEnvironment env, OrtSession session, ModelDescriptor descriptor) {
            this.env = env;
            this.session = session;
            this.descriptor = descriptor;
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public String backendId() {
            return ID;
        }

        @Override
        public TensorSpec inputSpec() {
            return new TensorSpec("image", "float32", descriptor.inputShape().stream().map(Integer::longValue).toList());
        }

        @Override
        public TensorSpec outputSpec() {
            return new TensorSpec("probabilities", "float32", List.of(-1L, (long) descriptor.outputLabels().size()));
        }

        @Override
        public synchronized void infer(int batchSize, FloatBuffer input, FloatBuffer output)
                throws InferenceException {
            if (closed) {
                throw new InferenceException(ErrorCode.CLOSED, descriptor.coordinates() + " is closed");
            }
            long[] shape = descriptor.inputShape().stream().mapToLong(Integer::longValue).toArray();
            shape[0] = batchSize;
            try (OnnxTensor t = OnnxTensor.createTensor(env, input.slice(), shape);
                    OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), t))) {
                output.put(((OnnxTensor) r.get(0)).getFloatBuffer());
            } catch (OrtException e) {
                throw new InferenceException(ErrorCode.INFERENCE_FAILED, e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            closed = true; // infer and close share the lock: closing waits for a running inference
            try {
                session.close();
            } catch (OrtException e) {
                // closing a test session
            }
        }
    }
}
