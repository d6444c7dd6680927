package com.factory.inspect.gate.internal;

import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.gate.pipeline.Preprocessor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model the line runs on: loaded, warmed up, with its preprocessor. Replaced as a whole.
 *
 * @param model the loaded model, owned by the {@link ModelManager}
 * @param source where it came from
 * @param backend the backend running it
 * @param preprocessor its preprocessing
 * @param outputLength floats one inference writes
 * @param consecutiveFailures inferences failed in a row (the backend is given up on after a few)
 * @param serviceTime recent preprocessing + inference time per frame
 */
record ActiveModel(LoadedModel model, ModelSource source, InferenceBackend backend, Preprocessor preprocessor,
        int outputLength, AtomicInteger consecutiveFailures, ServiceTime serviceTime) {

    static ActiveModel of(LoadedModel model, ModelSource source, InferenceBackend backend) {
        ModelDescriptor d = model.descriptor();
        int outputs = (int) Math.max(model.outputSpec().elementsPerItem(), d.outputLabels().size());
        return new ActiveModel(model, source, backend, new Preprocessor(d), outputs, new AtomicInteger(),
                new ServiceTime());
    }

    ModelDescriptor descriptor() {
        return model.descriptor();
    }

    String backendId() {
        return model.backendId();
    }
}
