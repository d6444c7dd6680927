package com.factory.inspect.gate.internal;

import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.model.ModelSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Which backends can run a model, best first: the preferred one when it is usable, then by rank.
 * A backend that kept failing at inference on a model is paused for that model for a while.
 */
final class BackendChoice {
    private final List<InferenceBackend> backends;
    private final LongSupplier nanoClock;
    private final Consumer<String> warn;
    /** (backend id, model) pairs paused, until the given nano time. */
    private final Map<String, Long> paused = new ConcurrentHashMap<>();

    BackendChoice(List<InferenceBackend> backends, LongSupplier nanoClock, Consumer<String> warn) {
        this.backends = backends;
        this.nanoClock = nanoClock;
        this.warn = warn;
    }

    /** Usable backends for {@code model}, best first (may be empty). */
    List<InferenceBackend> rank(ModelSource model, String preferred) {
        long now = nanoClock.getAsLong();
        paused.values().removeIf(until -> now - until > 0);
        List<InferenceBackend> usable = new ArrayList<>();
        for (InferenceBackend b : backends) {
            if (b.acceptedFormats().contains(model.descriptor().format()) && b.availability().available()
                    && !paused.containsKey(key(b, model))) {
                usable.add(b);
            }
        }
        usable.sort(Comparator.comparing((InferenceBackend b) -> !b.id().equals(preferred))
                .thenComparing(Comparator.comparingInt(InferenceBackend::rank).reversed())
                .thenComparing(InferenceBackend::id));
        if (!preferred.isEmpty() && (usable.isEmpty() || !usable.get(0).id().equals(preferred))) {
            warn.accept("preferred backend " + preferred + " is not usable for " + model.descriptor().coordinates()
                    + " (" + describe(preferred, model) + "); falling back");
        }
        return usable;
    }

    /** Takes {@code backend} out of the running for {@code model} for {@code nanos}. */
    void pause(InferenceBackend backend, ModelSource model, long nanos) {
        paused.put(key(backend, model), nanoClock.getAsLong() + nanos);
    }

    /** Forgets pauses of a backend that went away (a new registration starts clean). */
    void forget(InferenceBackend backend) {
        paused.keySet().removeIf(k -> k.startsWith(backend.id() + "|"));
    }

    /** Why no backend can run {@code model}, backend by backend. */
    String noBackendReason(ModelSource model) {
        List<String> reasons = new ArrayList<>();
        for (InferenceBackend b : backends) {
            reasons.add(b.id() + ": " + describe(b.id(), model));
        }
        return reasons.isEmpty() ? "no inference backend installed"
                : "no usable backend (" + String.join(", ", reasons) + ")";
    }

    private String describe(String id, ModelSource model) {
        for (InferenceBackend b : backends) {
            if (b.id().equals(id)) {
                if (paused.containsKey(key(b, model))) {
                    return "it failed at inference, paused";
                }
                return b.availability().available() ? "it does not accept " + model.descriptor().format()
                        : b.availability().reason();
            }
        }
        return "not installed";
    }

    private static String key(InferenceBackend backend, ModelSource model) {
        return backend.id() + "|" + System.identityHashCode(model);
    }
}
