package com.factory.inspect.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.gate.pipeline.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The baseline: plain {@code session.run} on the same model file and the same input tensor, with
 * the session options the gateway's CPU backend uses (the given intra-op threads, all graph
 * optimisations), nothing else around it.
 */
final class RawOnnxRuntime {

    private RawOnnxRuntime() {
    }

    /** Median milliseconds of {@code runs} single-threaded runs after {@code warmup} runs. */
    static double medianMillis(ModelSource model, Frame frame, int intraOpThreads, int warmup, int runs)
            throws OrtException, InferenceException {
        ModelDescriptor d = model.descriptor();
        Preprocessor preprocessor = new Preprocessor(d);
        float[] tensor = new float[preprocessor.outputLength()];
        preprocessor.run(frame, tensor, 0);
        FloatBuffer input = ByteBuffer.allocateDirect(tensor.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer().put(tensor);
        input.flip();
        long[] shape = d.inputShape().stream().mapToLong(Integer::longValue).toArray();
        shape[0] = 1;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            try (OrtSession session = env.createSession(model.readModel(), options)) {
                String inputName = session.getInputNames().iterator().next();
                long[] nanos = new long[runs];
                for (int i = 0; i < warmup + runs; i++) {
                    long start = System.nanoTime();
                    try (OnnxTensor t = OnnxTensor.createTensor(env, input, shape);
                            OrtSession.Result r = session.run(Map.of(inputName, t))) {
                        r.get(0);
                    }
                    if (i >= warmup) {
                        nanos[i - warmup] = System.nanoTime() - start;
                    }
                }
                Arrays.sort(nanos);
                return nanos[runs / 2] / 1e6;
            }
        }
    }
}
