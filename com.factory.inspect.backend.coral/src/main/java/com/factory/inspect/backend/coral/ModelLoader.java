package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Loading a TensorFlow Lite model, the same for both backends except for what a {@link Plan} says:
 * read and verify the file, let the backend refuse models it cannot run, build the interpreters,
 * check their tensors against the descriptor, warm every interpreter up. Whatever fails on the way
 * is closed before the exception leaves.
 */
final class ModelLoader {
    private static final Logger LOG = System.getLogger(ModelLoader.class.getName());

    /** What differs between the backends, fixed for one load (a configuration change applies to later loads). */
    interface Plan {
        /** The backend's id. */
        String backendId();

        /** Refuses, with {@code UNSUPPORTED_FORMAT}, a model this backend cannot run. */
        void accept(OperatorCodes operators, String name) throws InferenceException;

        /** How many interpreters the model gets (how many inferences may run at once). */
        int interpreters();

        /** Builds one interpreter, with its delegate. */
        NativeInterpreter interpreter(NativeModel model, String name) throws InferenceException;
    }

    private ModelLoader() {
    }

    /**
     * Loads, checks and warms up {@code model}.
     *
     * @param open where the loaded model is registered until it is closed
     */
    static LoadedModel load(ModelSource model, Plan plan, OpenModels open) throws InferenceException {
        String name = ModelContract.modelName(model);
        if (!ModelFormat.TFLITE.equals(model.descriptor().format())) {
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is " + model.descriptor().format()
                    + "; " + plan.backendId() + " accepts " + ModelFormat.TFLITE);
        }
        long start = System.nanoTime();
        byte[] bytes = model.readModel(); // checks the file's SHA-256 against the descriptor
        NativeModel nativeModel = NativeModel.create(bytes, name);
        InterpreterPool pool = null;
        TfLiteLoadedModel loaded = null;
        try {
            plan.accept(operators(bytes, name), name);
            pool = InterpreterPool.create(plan.interpreters(), () -> plan.interpreter(nativeModel, name));
            ModelContract contract = ModelContract.check(pool.first(), model);
            loaded = new TfLiteLoadedModel(model.descriptor(), plan.backendId(), name, contract, nativeModel, pool,
                    open::remove);
            open.add(loaded);
            if (!open.active()) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, plan.backendId()
                        + " was stopped while loading " + name);
            }
            loaded.warmUp();
            LOG.log(Level.INFO, "Loaded {0} on {1} in {2} ms: {3} -> {4}, {5} interpreter(s)", name,
                    plan.backendId(), (System.nanoTime() - start) / 1_000_000, contract.inputSpec(),
                    contract.outputSpec(), pool.size());
            return loaded;
        } catch (InferenceException | RuntimeException | Error e) {
            if (loaded != null) {
                loaded.close();
            } else {
                if (pool != null) {
                    pool.close();
                }
                nativeModel.close();
            }
            if (e instanceof InferenceException ie) {
                if (ie.code() == ErrorCode.INFERENCE_FAILED) {
                    throw new InferenceException(ErrorCode.MODEL_INVALID, name + " failed its warm-up inference: "
                            + ie.getMessage(), ie);
                }
                throw ie;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + " could not be inspected: " + e, e);
        }
    }

    private static OperatorCodes operators(byte[] bytes, String name) throws InferenceException {
        try {
            return OperatorCodes.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + ": its operator codes cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
