package com.factory.inspect.backend.support;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.nio.FloatBuffer;

/**
 * The argument checks every {@code LoadedModel.infer} makes before touching native code, with the
 * same {@code BAD_INPUT} messages on every backend.
 */
public final class InferenceArguments {

    private InferenceArguments() {
    }

    /**
     * Checks a batch against a model.
     *
     * @param model names the model in messages
     * @param fixedBatch the model's fixed batch size, or 0 or less when it takes any
     * @throws InferenceException {@code BAD_INPUT} for a batch size the model does not take, an input
     *         with too few floats left, an output with too little room, or a read-only output
     */
    public static void check(String model, int batchSize, long fixedBatch, FloatBuffer input, long inputPerItem,
            FloatBuffer output, long outputPerItem) throws InferenceException {
        if (batchSize < 1 || (fixedBatch > 0 && batchSize != fixedBatch)) {
            throw badInput(model, "batch size " + batchSize + " is not accepted; the model takes "
                    + (fixedBatch > 0 ? "exactly " + fixedBatch : "1 or more") + " images");
        }
        long inCount = batchSize * inputPerItem;
        long outCount = batchSize * outputPerItem;
        if (input.remaining() < inCount) {
            throw badInput(model, "input has " + input.remaining() + " floats left, " + batchSize + " images need "
                    + inCount + " (" + inputPerItem + " each)");
        }
        if (output.remaining() < outCount) {
            throw badInput(model, "output has room for " + output.remaining() + " floats, " + batchSize
                    + " images need " + outCount + " (" + outputPerItem + " each)");
        }
        if (output.isReadOnly()) {
            throw badInput(model, "output buffer is read-only");
        }
    }

    private static InferenceException badInput(String model, String what) {
        return new InferenceException(ErrorCode.BAD_INPUT, model + ": " + what);
    }
}
