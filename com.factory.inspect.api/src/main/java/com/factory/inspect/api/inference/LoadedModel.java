package com.factory.inspect.api.inference;

import com.factory.inspect.api.model.ModelDescriptor;
import java.nio.FloatBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model loaded on a backend, ready to run. Safe for concurrent {@link #infer} calls from several
 * threads. The one who loaded it owns it and closes it; {@link #close()} waits for inferences in
 * flight to finish, after which {@code infer} fails with {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface LoadedModel extends AutoCloseable {

    /** The descriptor this model was loaded from. */
    ModelDescriptor descriptor();

    /** Id of the backend running it. */
    String backendId();

    /** The input tensor as the runtime reports it. */
    TensorSpec inputSpec();

    /** The output tensor as the runtime reports it. */
    TensorSpec outputSpec();

    /**
     * Runs the model on {@code batchSize} images.
     *
     * @param batchSize number of images, at least 1 (models with a fixed batch accept only that)
     * @param input {@code batchSize × inputSpec().elementsPerItem()} floats from its position on,
     *        laid out as the descriptor says; a direct buffer avoids a copy
     * @param output receives {@code batchSize × outputSpec().elementsPerItem()} floats from its
     *        position on; its position is advanced past them
     * @throws InferenceException {@code BAD_INPUT} for sizes that do not fit, {@code CLOSED} after
     *         close, {@code INFERENCE_FAILED} when the runtime fails
     */
    void infer(int batchSize, FloatBuffer input, FloatBuffer output) throws InferenceException;

    /** Releases the native resources once in-flight inferences have finished. Idempotent. */
    @Override
    void close();
}
