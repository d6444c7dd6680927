package com.factory.inspect.backend.tensorrt;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import java.util.List;

/**
 * What a network or engine offers, checked against the model's descriptor: one float input of the
 * descriptor's shape (batch fixed as the descriptor's or dynamic), and a float output with one value
 * per label. The same rules as the ONNX Runtime backend, so a model verified there fits here.
 *
 * @param input the input tensor ({@code -1} for a dynamic batch)
 * @param output the output the backend reads (the first one)
 */
record EngineContract(TensorSpec input, TensorSpec output) {

    static final String FLOAT32 = "float32";

    /**
     * Checks the network's or engine's tensors against {@code model}'s descriptor.
     *
     * @throws InferenceException {@code SHAPE_MISMATCH} naming the model, what it expects and what it found
     */
    static EngineContract check(List<TensorSpec> inputs, List<TensorSpec> outputs, ModelSource model)
            throws InferenceException {
        ModelDescriptor d = model.descriptor();
        List<Long> expected = d.inputShape().stream().map(Integer::longValue).toList();
        if (inputs.size() != 1) {
            throw mismatch(model, "expected one " + FLOAT32 + " input " + expected + " (" + d.inputLayout()
                    + "), found " + inputs.size() + " inputs " + inputs);
        }
        TensorSpec input = inputs.get(0);
        if (!FLOAT32.equals(input.elementType()) || !inputMatches(input.shape(), expected)) {
            throw mismatch(model, "expected input " + FLOAT32 + " " + expected + " (" + d.inputLayout()
                    + "; the model's batch may be dynamic), found " + describe(input));
        }
        if (outputs.isEmpty()) {
            throw mismatch(model, "the model has no outputs");
        }
        TensorSpec output = outputs.get(0);
        int labels = d.outputLabels().size();
        if (!FLOAT32.equals(output.elementType()) || !outputMatches(output.shape(), labels)) {
            throw mismatch(model, "expected output " + FLOAT32 + " [batch, " + labels + "] (one value per label "
                    + d.outputLabels() + "), found " + describe(output));
        }
        return new EngineContract(input, output);
    }

    /** {@code model name:version (origin)}, how messages name a model. */
    static String modelName(ModelSource model) {
        return "model " + model.descriptor().coordinates() + " (" + model.origin() + ")";
    }

    private static boolean inputMatches(List<Long> actual, List<Long> expected) {
        if (actual.size() != 4) {
            return false;
        }
        long batch = actual.get(0);
        if (batch > 0 && batch != expected.get(0)) {
            return false; // a fixed model batch must be the descriptor's batch
        }
        return actual.subList(1, 4).equals(expected.subList(1, 4));
    }

    /** Last dimension one per label, every other dimension but the batch 1 (one row per image). */
    private static boolean outputMatches(List<Long> shape, int labels) {
        if (shape.size() < 2 || shape.get(shape.size() - 1) != labels) {
            return false;
        }
        return shape.subList(1, shape.size() - 1).stream().allMatch(dim -> dim == 1);
    }

    private static String describe(TensorSpec spec) {
        return "'" + spec.name() + "' " + spec.elementType() + " " + spec.shape();
    }

    private static InferenceException mismatch(ModelSource model, String what) {
        return new InferenceException(ErrorCode.SHAPE_MISMATCH, modelName(model) + " does not fit its descriptor: "
                + what);
    }
}
