package com.factory.inspect.gate.pipeline;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Runs one frame through a model: preprocessing into a reused tensor, inference through reused
 * direct buffers, the defect probability out. One per thread (not thread-safe); allocates only
 * when a bigger model comes along.
 */
public final class FrameInference {
    private float[] tensor = new float[0];
    private FloatBuffer input = FloatBuffer.allocate(0);
    private FloatBuffer output = FloatBuffer.allocate(0);
    private long preprocessedNanos;

    /**
     * The model's defect probability for {@code frame}.
     *
     * @param outputLength floats the model writes per image (at least its label count)
     */
    public double defectProbability(Frame frame, Preprocessor preprocessor, LoadedModel model, int outputLength)
            throws InferenceException {
        int length = preprocessor.outputLength();
        ensureCapacity(length, outputLength);
        preprocessor.run(frame, tensor, 0);
        input.clear();
        input.put(tensor, 0, length).flip();
        output.clear();
        preprocessedNanos = System.nanoTime();
        model.infer(1, input, output);
        return output.get(preprocessor.descriptor().defectIndex());
    }

    /** When the last call finished preprocessing (its {@link System#nanoTime()}), for latency accounting. */
    public long preprocessedNanos() {
        return preprocessedNanos;
    }

    private void ensureCapacity(int inputLength, int outputLength) {
        if (tensor.length < inputLength) {
            tensor = new float[inputLength];
            input = ByteBuffer.allocateDirect(inputLength * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        if (output.capacity() < outputLength) {
            output = ByteBuffer.allocateDirect(outputLength * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
    }
}
