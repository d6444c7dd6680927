package com.factory.inspect.backend.openvino;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.lib.openvino.PortInfo;
import java.util.List;

/**
 * What a model read by OpenVINO offers, checked against its descriptor before it is compiled: one
 * float input of the descriptor's shape (the model's batch may be dynamic), and a first output
 * holding one float per label for each image.
 *
 * @param inputSpec the input as OpenVINO reports it
 * @param outputSpec the first output as OpenVINO reports it
 * @param fixedBatch the batch size the model requires, or -1 when its batch is dynamic
 */
record ModelContract(TensorSpec inputSpec, TensorSpec outputSpec, long fixedBatch) {
    static final String FLOAT32 = "float32";

    /** Checks the model's inputs and outputs against {@code model}'s descriptor. */
    static ModelContract check(List<PortInfo> inputs, List<PortInfo> outputs, ModelSource model)
            throws InferenceException {
        ModelDescriptor d = model.descriptor();
        List<Long> expectedInput = d.inputShape().stream().map(Integer::longValue).toList();
        if (inputs.size() != 1) {
            throw mismatch(model, "expected one " + FLOAT32 + " input " + expectedInput + " (" + d.inputLayout()
                    + "), found " + inputs.size() + " inputs " + inputs);
        }
        PortInfo input = inputs.get(0);
        if (!input.isFloat32() || input.dynamicRank() || !inputShapeMatches(input.shape(), expectedInput)) {
            throw mismatch(model, "expected input " + FLOAT32 + " " + expectedInput + " (" + d.inputLayout()
                    + "; the model's batch may be dynamic), found " + input);
        }
        if (outputs.isEmpty()) {
            throw mismatch(model, "the model has no outputs");
        }
        PortInfo output = outputs.get(0);
        int labels = d.outputLabels().size();
        if (!output.isFloat32() || output.dynamicRank() || !outputShapeMatches(output.shape(), labels)) {
            throw mismatch(model, "expected output " + FLOAT32 + " [batch, " + labels + "] (one value per label "
                    + d.outputLabels() + "), found " + output);
        }
        long batch = input.shape().get(0);
        return new ModelContract(spec(input), spec(output), batch > 0 ? batch : -1);
    }

    /** {@code model name:version (origin)}, how messages name a model. */
    static String modelName(ModelSource model) {
        return "model " + model.descriptor().coordinates() + " (" + model.origin() + ")";
    }

    private static TensorSpec spec(PortInfo port) {
        return new TensorSpec(port.name(), port.elementTypeName(), port.shape());
    }

    private static boolean inputShapeMatches(List<Long> actual, List<Long> expected) {
        if (actual.size() != 4) {
            return false;
        }
        long batch = actual.get(0);
        if (batch >= 0 && batch != expected.get(0)) {
            return false; // a fixed model batch must be the descriptor's batch
        }
        return actual.subList(1, 4).equals(expected.subList(1, 4));
    }

    /** Last dimension one per label, the batch first (fixed or dynamic), every other dimension 1. */
    private static boolean outputShapeMatches(List<Long> shape, int labels) {
        if (shape.size() < 2 || shape.get(shape.size() - 1) != labels) {
            return false;
        }
        return shape.subList(1, shape.size() - 1).stream().allMatch(dim -> dim == 1);
    }

    private static InferenceException mismatch(ModelSource model, String what) {
        return new InferenceException(ErrorCode.SHAPE_MISMATCH, modelName(model) + " does not fit its descriptor: "
                + what);
    }
}
