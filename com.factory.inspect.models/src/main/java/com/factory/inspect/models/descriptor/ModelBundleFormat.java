package com.factory.inspect.models.descriptor;

/**
 * Names of the model bundle format. A model bundle declares each model it carries as
 * <pre>
 * Provide-Capability: factory.inspect.model;
 *   factory.inspect.model=surface-demo; version:Version=1.0.0; format=onnx;
 *   descriptor=model/surface-demo.properties
 * </pre>
 * and carries the descriptor file (see {@link DescriptorProperties}) and the model file it names.
 */
public final class ModelBundleFormat {
    /** Capability namespace of models. */
    public static final String NAMESPACE = "factory.inspect.model";
    /** Capability attribute: model name (the namespace attribute). */
    public static final String ATTRIBUTE_NAME = NAMESPACE;
    /** Capability attribute: model version, of type Version. */
    public static final String ATTRIBUTE_VERSION = "version";
    /** Capability attribute: model format name. */
    public static final String ATTRIBUTE_FORMAT = "format";
    /** Capability attribute: path of the descriptor file inside the bundle. */
    public static final String ATTRIBUTE_DESCRIPTOR = "descriptor";

    private ModelBundleFormat() {
    }
}
