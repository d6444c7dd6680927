package com.factory.inspect.models.internal;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.models.descriptor.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Objects;
import org.osgi.framework.Bundle;

/** A model carried by a bundle; its bytes are read from the bundle on demand and checked. */
final class BundleModelSource implements ModelSource {
    private final Bundle bundle;
    private final ModelDescriptor descriptor;
    private final String origin;

    BundleModelSource(Bundle bundle, ModelDescriptor descriptor) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.origin = "bundle " + bundle.getBundleId() + " " + bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public byte[] readModel() throws InferenceException {
        URL entry = bundle.getEntry(descriptor.file());
        if (entry == null) {
            throw new InferenceException(ErrorCode.MODEL_UNREADABLE, "model " + descriptor.coordinates() + " in "
                    + origin + ": file " + descriptor.file() + " is not in the bundle");
        }
        byte[] bytes;
        try (InputStream in = entry.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException | IllegalStateException e) {
            throw new InferenceException(ErrorCode.MODEL_UNREADABLE, "model " + descriptor.coordinates() + " in "
                    + origin + ": cannot read " + descriptor.file() + ": " + e.getMessage(), e);
        }
        Sha256.requireMatch(descriptor, bytes, origin);
        return bytes;
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return descriptor.coordinates() + " (" + origin + ")";
    }
}
