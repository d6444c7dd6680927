package com.factory.inspect.backend.coral;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterAllocateTensors;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterCreate;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterDelete;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterGetInputTensor;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterGetInputTensorCount;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterGetOutputTensor;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterGetOutputTensorCount;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterInvoke;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterOptionsAddDelegate;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterOptionsCreate;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterOptionsDelete;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterOptionsSetNumThreads;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteInterpreterResizeInputTensor;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorByteSize;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorData;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorDim;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorGetDimsSignature;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorName;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorNumDims;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteInterpreter;
import org.bytedeco.tensorflowlite.TfLiteInterpreterOptions;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * One TensorFlow Lite interpreter with its options and delegate, which it owns and deletes in
 * that order after itself. An interpreter is not thread-safe: one thread at a time (the
 * {@link InterpreterPool} sees to that). It keeps the batch size of its last run and resizes its
 * input only when the batch changes.
 */
final class NativeInterpreter implements AutoCloseable {
    private final TfLiteInterpreterOptions options;
    private final TfLiteInterpreter interpreter;
    private final NativeDelegate delegate;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int[] inputDims;
    private TensorCodec inputCodec;
    private TensorCodec outputCodec;
    private ByteBuffer input;
    private ByteBuffer output;

    private NativeInterpreter(TfLiteInterpreterOptions options, TfLiteInterpreter interpreter, NativeDelegate delegate,
            String name) {
        this.options = options;
        this.interpreter = interpreter;
        this.delegate = delegate;
        this.name = name;
    }

    /**
     * Builds an interpreter for {@code model} and allocates its tensors.
     *
     * @param threads threads TensorFlow Lite's own kernels may use (the delegate has its own setting)
     * @param delegate added to the interpreter and then owned by it (closed with it, also on failure);
     *        {@code null} for none
     * @param name how messages name the model
     * @throws InferenceException {@code MODEL_INVALID} if TensorFlow Lite cannot build or prepare it
     */
    static NativeInterpreter create(NativeModel model, int threads, NativeDelegate delegate, String name)
            throws InferenceException {
        TfLiteInterpreterOptions options = TfLiteInterpreterOptionsCreate();
        TfLiteInterpreterOptionsSetNumThreads(options, threads);
        if (delegate != null) {
            TfLiteInterpreterOptionsAddDelegate(options, delegate.asTfLite());
        }
        TfLiteInterpreter interpreter = TfLiteInterpreterCreate(model.handle(), options);
        if (interpreter == null || interpreter.isNull()) {
            TfLiteInterpreterOptionsDelete(options);
            if (delegate != null) {
                delegate.close();
            }
            throw new InferenceException(ErrorCode.MODEL_INVALID, "TensorFlow Lite could not build an interpreter for "
                    + name + (delegate == null ? "" : " with the " + delegate)
                    + " (an operator it does not have, or the delegate refused the graph; TensorFlow Lite's own"
                    + " message is on standard error)");
        }
        NativeInterpreter created = new NativeInterpreter(options, interpreter, delegate, name);
        try {
            created.allocate(ErrorCode.MODEL_INVALID, "prepare");
            return created;
        } catch (InferenceException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /** Number of model inputs and outputs, {@code [inputs, outputs]}. */
    int[] tensorCounts() {
        return new int[] {TfLiteInterpreterGetInputTensorCount(interpreter),
                TfLiteInterpreterGetOutputTensorCount(interpreter)};
    }

    /** Input {@code i} as the model declares it: the batch is -1 when the model's batch is dynamic. */
    TensorSpec inputSpec(int i) {
        return spec(TfLiteInterpreterGetInputTensor(interpreter, i));
    }

    /** Output {@code i} as the model declares it. */
    TensorSpec outputSpec(int i) {
        return spec(TfLiteInterpreterGetOutputTensor(interpreter, i));
    }

    /** How the first input holds its values. */
    TensorCodec inputCodec() {
        return inputCodec;
    }

    /** How the first output holds its values. */
    TensorCodec outputCodec() {
        return outputCodec;
    }

    /**
     * Runs a batch: resizes the input if the batch differs from the last run's, converts the
     * {@code inCount} floats from {@code in}'s position on into the input (its position stays) and
     * puts {@code outCount} floats into {@code out} (its position advances).
     */
    void run(int batch, FloatBuffer in, int inCount, FloatBuffer out, int outCount) throws InferenceException {
        if (input == null || batch != inputDims[0]) {
            resize(batch);
        }
        if (input.capacity() != (long) inCount * inputCodec.bytes()
                || output.capacity() != (long) outCount * outputCodec.bytes()) {
            throw failed("has tensors of " + input.capacity() + " and " + output.capacity() + " bytes for a batch of "
                    + batch + ", expected " + inCount + " and " + outCount + " values");
        }
        inputCodec.encode(in, inCount, input);
        if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) {
            throw failed("failed on a batch of " + batch);
        }
        outputCodec.decode(output, outCount, out);
    }

    /** Resizes the input's batch; the old views are dropped first, so a failure leaves none to misuse. */
    private void resize(int batch) throws InferenceException {
        int[] dims = inputDims.clone();
        dims[0] = batch;
        input = null;
        output = null;
        if (TfLiteInterpreterResizeInputTensor(interpreter, 0, dims, dims.length) != kTfLiteOk) {
            throw failed("could not resize its input to " + Arrays.toString(dims));
        }
        allocate(ErrorCode.INFERENCE_FAILED, "allocate tensors for a batch of " + batch);
    }

    /** Allocates the tensors and takes fresh views of the input and output (allocation moves them). */
    private void allocate(ErrorCode code, String what) throws InferenceException {
        if (TfLiteInterpreterAllocateTensors(interpreter) != kTfLiteOk) {
            throw new InferenceException(code, "TensorFlow Lite could not " + what + " of " + name
                    + (delegate == null ? "" : " with the " + delegate)
                    + " (TensorFlow Lite's own message is on standard error)");
        }
        int[] counts = tensorCounts();
        if (counts[0] < 1 || counts[1] < 1) {
            return; // nothing to run; the model's contract check says what is missing
        }
        TfLiteTensor in = TfLiteInterpreterGetInputTensor(interpreter, 0);
        TfLiteTensor out = TfLiteInterpreterGetOutputTensor(interpreter, 0);
        inputDims = dims(in);
        inputCodec = TensorCodec.of(in);
        outputCodec = TensorCodec.of(out);
        input = memory(in);
        output = memory(out);
    }

    private static ByteBuffer memory(TfLiteTensor tensor) {
        return new BytePointer(TfLiteTensorData(tensor)).capacity(TfLiteTensorByteSize(tensor)).asByteBuffer();
    }

    private static int[] dims(TfLiteTensor tensor) {
        int[] dims = new int[TfLiteTensorNumDims(tensor)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = TfLiteTensorDim(tensor, i);
        }
        return dims;
    }

    private static TensorSpec spec(TfLiteTensor tensor) {
        TfLiteIntArray signature = TfLiteTensorGetDimsSignature(tensor);
        List<Long> shape = new ArrayList<>();
        if (signature != null && !signature.isNull() && signature.size() > 0) {
            for (int i = 0; i < signature.size(); i++) {
                shape.add((long) signature.data(i));
            }
        } else {
            for (int d : dims(tensor)) {
                shape.add((long) d);
            }
        }
        return new TensorSpec(TfLiteTensorName(tensor).getString(), TensorCodec.of(tensor).elementType(), shape);
    }

    private InferenceException failed(String what) {
        return new InferenceException(ErrorCode.INFERENCE_FAILED, name + ": TensorFlow Lite " + what
                + " (its own message is on standard error)");
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            TfLiteInterpreterDelete(interpreter);
            TfLiteInterpreterOptionsDelete(options);
            if (delegate != null) {
                delegate.close();
            }
        }
    }
}
