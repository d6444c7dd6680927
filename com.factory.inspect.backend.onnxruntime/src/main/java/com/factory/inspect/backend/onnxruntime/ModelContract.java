package com.factory.inspect.backend.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a loaded model's session offers, checked against its descriptor: one float input of the
 * descriptor's shape, and a float output with one value per label.
 *
 * @param inputName name of the input tensor
 * @param inputSpec the input as the runtime reports it
 * @param outputName name of the output tensor the backend reads (the model's first output)
 * @param outputSpec that output as the runtime reports it
 * @param fixedBatch the batch size the model requires, or -1 when its batch is dynamic
 */
record ModelContract(String inputName, TensorSpec inputSpec, String outputName, TensorSpec outputSpec,
        long fixedBatch) {

    static final String FLOAT32 = "float32";

    /** Reads the session's inputs and outputs and checks them against the model's descriptor. */
    static ModelContract check(OrtSession session, ModelSource model) throws InferenceException, OrtException {
        ModelDescriptor d = model.descriptor();
        List<TensorSpec> inputs = specs(session.getInputInfo());
        List<TensorSpec> outputs = specs(session.getOutputInfo());
        List<Long> expectedInput = d.inputShape().stream().map(Integer::longValue).toList();

        if (inputs.size() != 1) {
            throw mismatch(model, "expected one " + FLOAT32 + " input " + expectedInput + " (" + d.inputLayout()
                    + "), found " + inputs.size() + " inputs " + inputs);
        }
        TensorSpec input = inputs.get(0);
        if (!FLOAT32.equals(input.elementType()) || !inputShapeMatches(input.shape(), expectedInput)) {
            throw mismatch(model, "expected input " + FLOAT32 + " " + expectedInput + " (" + d.inputLayout()
                    + "; the model's batch may be dynamic), found " + describe(input));
        }
        if (outputs.isEmpty()) {
            throw mismatch(model, "the model has no outputs");
        }
        TensorSpec output = outputs.get(0);
        int labels = d.outputLabels().size();
        if (!FLOAT32.equals(output.elementType()) || !outputShapeMatches(output.shape(), labels)) {
            throw mismatch(model, "expected output " + FLOAT32 + " [batch, " + labels + "] (one value per label "
                    + d.outputLabels() + "), found " + describe(output));
        }
        long batch = input.shape().get(0);
        return new ModelContract(input.name(), input, output.name(), output, batch > 0 ? batch : -1);
    }

    /** {@code name:version (origin)}, how messages name a model. */
    static String modelName(ModelSource model) {
        return "model " + model.descriptor().coordinates() + " (" + model.origin() + ")";
    }

    /** The runtime's element type name: {@code float32}, {@code int64}, {@code uint8}, ... */
    static String elementType(TensorInfo info) {
        return switch (info.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> FLOAT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "float64";
            default -> info.onnxType.name().substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length())
                    .toLowerCase(Locale.ROOT);
        };
    }

    private static boolean inputShapeMatches(List<Long> actual, List<Long> expected) {
        if (actual.size() != 4) {
            return false;
        }
        long batch = actual.get(0);
        if (batch > 0 && batch != expected.get(0)) {
            return false; // a fixed model batch must be the descriptor's batch
        }
        return actual.subList(1, 4).equals(expected.subList(1, 4));
    }

    /** Last dimension one per label, every other dimension but the batch 1 (so one row per image). */
    private static boolean outputShapeMatches(List<Long> shape, int labels) {
        if (shape.size() < 2 || shape.get(shape.size() - 1) != labels) {
            return false;
        }
        return shape.subList(1, shape.size() - 1).stream().allMatch(dim -> dim == 1);
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo info) {
                specs.add(new TensorSpec(node.getName(), elementType(info),
                        Arrays.stream(info.getShape()).boxed().toList()));
            } else {
                specs.add(new TensorSpec(node.getName(), "non-tensor " + node.getInfo(), List.of()));
            }
        }
        return specs;
    }

    private static String describe(TensorSpec spec) {
        return "'" + spec.name() + "' " + spec.elementType() + " " + spec.shape();
    }

    private static InferenceException mismatch(ModelSource model, String what) {
        return new InferenceException(ErrorCode.SHAPE_MISMATCH, modelName(model) + " does not fit its descriptor: "
                + what);
    }
}
