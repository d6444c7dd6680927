package com.factory.inspect.backend.coral;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a backend component has loaded and not yet seen closed, and whether the component is
 * active. Models left open when it deactivates are closed then: their native handles are bound to
 * this bundle's classes.
 */
final class OpenModels {
    private static final Logger LOG = System.getLogger(OpenModels.class.getName());

    private final String backendId;
    private final Set<TfLiteLoadedModel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean active;

    OpenModels(String backendId) {
        this.backendId = backendId;
    }

    void activate() {
        active = true;
    }

    /** Refuses new models and closes those still open. */
    void deactivate() {
        active = false;
        if (!open.isEmpty()) {
            LOG.log(Level.WARNING, "{0} stopping: closing {1} model(s) still open", backendId, open.size());
        }
        for (TfLiteLoadedModel model : Set.copyOf(open)) {
            model.close();
        }
    }

    boolean active() {
        return active;
    }

    void add(TfLiteLoadedModel model) {
        open.add(model);
    }

    void remove(TfLiteLoadedModel model) {
        open.remove(model);
    }
}
