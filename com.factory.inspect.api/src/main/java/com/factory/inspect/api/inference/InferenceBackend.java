package com.factory.inspect.api.inference;

import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An inference runtime on some hardware, registered as a service by its bundle. A gateway picks the
 * preferred backend if it is available, else the available one with the highest {@link #rank()}
 * that accepts the model's format.
 *
 * <p>A backend bundle keeps its native library loaded for the life of the JVM; models come and go
 * above it through {@link #load}.
 */
@ProviderType
public interface InferenceBackend {
    /** Service property: the backend id, so configurations can target one. */
    String PROPERTY_ID = "inspect.backend.id";

    /** Stable id, e.g. {@code onnxruntime-cpu}, {@code tensorrt}, {@code openvino}, {@code tflite}. */
    String id();

    /** Preference among available backends: higher wins. CPU fallbacks rank lowest. */
    int rank();

    /** Probes the native library and device; never throws. */
    Availability availability();

    /** Model formats this backend can load. */
    Set<ModelFormat> acceptedFormats();

    /**
     * Loads, checks and warms up a model. The caller owns the result and must close it.
     *
     * @throws InferenceException {@code BACKEND_UNAVAILABLE}, {@code UNSUPPORTED_FORMAT},
     *         {@code MODEL_UNREADABLE}, {@code CHECKSUM_MISMATCH}, {@code MODEL_INVALID} or
     *         {@code SHAPE_MISMATCH}, with a message naming the model and the reason
     */
    LoadedModel load(ModelSource model) throws InferenceException;
}
