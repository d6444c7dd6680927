package com.factory.inspect.api.model;

import com.factory.inspect.api.inference.InferenceException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An installed model: its descriptor and access to its bytes. Registered as a service (by the model
 * extender, on behalf of each model bundle) with the properties below, so gates and tools can pick a
 * model by name and version.
 */
@ProviderType
public interface ModelSource {
    /** Service property: model name ({@link ModelDescriptor#name()}). */
    String PROPERTY_NAME = "inspect.model.name";
    /** Service property: model version ({@link ModelDescriptor#version()}). */
    String PROPERTY_VERSION = "inspect.model.version";
    /** Service property: model format name ({@link ModelFormat#name()}). */
    String PROPERTY_FORMAT = "inspect.model.format";

    /** The model's descriptor. */
    ModelDescriptor descriptor();

    /**
     * Reads the model file and checks it against {@link ModelDescriptor#sha256()}.
     *
     * @return the model file's bytes, a fresh array the caller owns
     * @throws InferenceException {@code MODEL_UNREADABLE} when it cannot be read,
     *         {@code CHECKSUM_MISMATCH} when its SHA-256 differs from the descriptor's
     */
    byte[] readModel() throws InferenceException;

    /** Where the model comes from, for messages, e.g. {@code bundle 42 com.acme.model.bolt 1.2.0}. */
    String origin();
}
