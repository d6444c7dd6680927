package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model's interpreter offers, checked against its descriptor: one input of the descriptor's
 * shape (in the descriptor's layout; TensorFlow Lite models are usually NHWC), and a first output
 * with one value per label; each float32, or uint8/int8 with a quantisation.
 *
 * @param inputSpec the input as the model declares it (batch -1 when dynamic)
 * @param outputSpec the output the backend reads (the model's first) as the model declares it
 * @param fixedBatch the batch size the model requires, or -1 when its batch is dynamic
 */
record ModelContract(TensorSpec inputSpec, TensorSpec outputSpec, long fixedBatch) {

    /** Reads the interpreter's tensors and checks them against the model's descriptor. */
    static ModelContract check(NativeInterpreter interpreter, ModelSource model) throws InferenceException {
        ModelDescriptor d = model.descriptor();
        int[] counts = interpreter.tensorCounts();
        List<Long> expectedInput = d.inputShape().stream().map(Integer::longValue).toList();
        if (counts[0] != 1 || counts[1] < 1) {
            List<TensorSpec> inputs = new ArrayList<>();
            for (int i = 0; i < counts[0]; i++) {
                inputs.add(interpreter.inputSpec(i));
            }
            throw mismatch(model, "expected one input " + expectedInput + " (" + d.inputLayout() + ") and an output, "
                    + "found " + counts[0] + " inputs " + inputs + " and " + counts[1] + " outputs");
        }
        TensorSpec input = interpreter.inputSpec(0);
        TensorCodec inputCodec = interpreter.inputCodec();
        if (!inputCodec.supported() || !inputShapeMatches(input.shape(), expectedInput)) {
            throw mismatch(model, "expected input float32, uint8 or int8 " + expectedInput + " (" + d.inputLayout()
                    + "; the model's batch may be dynamic), found '" + input.name() + "' " + inputCodec.describe()
                    + " " + input.shape());
        }
        TensorSpec output = interpreter.outputSpec(0);
        TensorCodec outputCodec = interpreter.outputCodec();
        int labels = d.outputLabels().size();
        if (!outputCodec.supported() || !outputShapeMatches(output.shape(), labels)) {
            throw mismatch(model, "expected output float32, uint8 or int8 [batch, " + labels + "] (one value per label "
                    + d.outputLabels() + "), found '" + output.name() + "' " + outputCodec.describe() + " "
                    + output.shape());
        }
        long batch = input.shape().get(0);
        return new ModelContract(input, output, batch > 0 ? batch : -1);
    }

    /** {@code model name:version (origin)}, how messages name a model. */
    static String modelName(ModelSource model) {
        return "model " + model.descriptor().coordinates() + " (" + model.origin() + ")";
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

    private static InferenceException mismatch(ModelSource model, String what) {
        return new InferenceException(ErrorCode.SHAPE_MISMATCH, modelName(model) + " does not fit its descriptor: "
                + what);
    }
}
