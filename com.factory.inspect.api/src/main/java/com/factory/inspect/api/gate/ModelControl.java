package com.factory.inspect.api.gate;

import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelSource;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gate's models: which are installed and in what state, and verification and loading the way
 * the live loop does it. Which model runs is configuration ({@code model.name},
 * {@code model.version} of the gate), so a choice survives restarts.
 */
@ProviderType
public interface ModelControl {

    /** Every installed model, highest version first within a name. */
    List<ModelStatus> models();

    /** Models that were active before the current one ({@code name:version}), newest first. */
    List<String> history();

    /**
     * Loads, checks and warms up {@code model} on the backend the gate would use, then closes it.
     * Never activates it.
     */
    Verification verify(ModelSource model);

    /**
     * Loads {@code model} on the backend the gate would use, checked and warmed up like a model
     * about to go live. The caller owns the result and closes it.
     *
     * @throws InferenceException why no backend could load it
     */
    LoadedModel load(ModelSource model) throws InferenceException;
}
