package com.factory.inspect.gate.internal;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Version;

/**
 * Decides which model runs on which backend and keeps it loaded. Whenever models, backends or the
 * configuration change, it works out the wanted (model, backend) pair on its own thread; a new pair
 * is loaded and warmed up first and then switched in atomically, and the model it replaces is
 * closed after its last inference. The inspection loop never waits for a load.
 */
final class ModelManager implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ModelManager.class.getName());
    private static final int WARM_UP_RUNS = 5;

    private final List<InferenceBackend> backends = new CopyOnWriteArrayList<>();
    private final List<ModelSource> models = new CopyOnWriteArrayList<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "inspect-model-loader");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean reconcilePending = new AtomicBoolean();
    private volatile boolean started;
    private volatile GateOptions options;
    private volatile ActiveModel active;
    private volatile String state = "waiting for a model and a backend";
    private volatile String lastWarning = "";

    ModelManager(GateOptions options) {
        this.options = options;
    }

    /** The model the line runs on, or null. */
    ActiveModel active() {
        return active;
    }

    /** What the manager is doing, for status displays. */
    String state() {
        return state;
    }

    void addBackend(InferenceBackend backend) {
        backends.add(backend);
        reconcileLater();
    }

    void removeBackend(InferenceBackend backend) {
        backends.remove(backend);
        reconcileLater();
    }

    void addModel(ModelSource model) {
        models.add(model);
        reconcileLater();
    }

    void removeModel(ModelSource model) {
        models.remove(model);
        reconcileLater();
    }

    void configure(GateOptions next) {
        GateOptions previous = options;
        options = next;
        if (!previous.modelName().equals(next.modelName()) || !previous.modelVersion().equals(next.modelVersion())
                || !previous.preferredBackend().equals(next.preferredBackend())) {
            reconcileLater();
        }
    }

    /** Starts choosing and loading models (before, changes are only recorded). */
    void start() {
        started = true;
        reconcileLater();
    }

    /** Re-evaluates the choice soon, on the loader thread; several requests coalesce. */
    void reconcileLater() {
        if (started && reconcilePending.compareAndSet(false, true)) {
            try {
                loader.execute(() -> {
                    reconcilePending.set(false);
                    reconcile();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                reconcilePending.set(false);
            }
        }
    }

    private void reconcile() {
        GateOptions o = options;
        ModelSource wanted = selectModel(o);
        if (wanted == null) {
            retire(state);
            return;
        }
        List<InferenceBackend> candidates = rankBackends(wanted, o);
        ActiveModel current = active;
        if (current != null && current.source() == wanted && !candidates.isEmpty()
                && candidates.get(0) == current.backend()) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (InferenceBackend backend : candidates) {
            if (current != null && current.source() == wanted && current.backend() == backend) {
                return; // still the best that works
            }
            String what = wanted.descriptor().coordinates() + " on " + backend.id();
            state = "loading " + what;
            long start = System.nanoTime();
            try {
                LoadedModel loaded = backend.load(wanted);
                ActiveModel next = ActiveModel.of(loaded, wanted, backend);
                try {
                    warmUp(next);
                } catch (InferenceException | RuntimeException e) {
                    loaded.close();
                    throw e;
                }
                swap(next);
                state = "active";
                LOG.log(Level.INFO, "model {0} from {1} is active (load and warm-up {2} ms)", what, wanted.origin(),
                        (System.nanoTime() - start) / 1_000_000);
                return;
            } catch (InferenceException | RuntimeException e) {
                failures.add(backend.id() + ": " + e.getMessage());
                LOG.log(Level.ERROR, "model {0} from {1} rejected: {2}", what, wanted.origin(), e.getMessage());
            }
        }
        String why = candidates.isEmpty() ? noBackendReason(wanted) : String.join("; ", failures);
        retire(wanted.descriptor().coordinates() + " cannot run: " + why);
    }

    /**
     * The wanted model cannot run. The active one keeps the line going if its model and backend are
     * still there; otherwise it is dropped and the fail-safe decides until a model can run.
     */
    private void retire(String reason) {
        ActiveModel current = active;
        if (current != null && backends.contains(current.backend()) && models.contains(current.source())) {
            state = "active (kept: " + reason + ")";
            warnOnce("keeping model " + current.descriptor().coordinates() + " running: " + reason);
            return;
        }
        state = "no model: " + reason;
        if (current != null) {
            swap(null);
            LOG.log(Level.ERROR, "model {0} is no longer available and nothing can replace it ({1}); the fail-safe "
                    + "decides every frame", current.descriptor().coordinates(), reason);
        }
    }

    /**
     * A few inferences before the switch, so the first frames on the new model do not pay for the
     * runtime's first-run allocations.
     */
    private static void warmUp(ActiveModel model) throws InferenceException {
        int length = model.preprocessor().outputLength();
        FloatBuffer input = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        FloatBuffer output = ByteBuffer.allocateDirect(model.outputLength() * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            input.clear();
            output.clear();
            model.model().infer(1, input, output);
        }
    }

    private void swap(ActiveModel next) {
        ActiveModel previous = active;
        active = next;
        if (previous != null) {
            // Waits for the inferences still running on it.
            previous.model().close();
        }
    }

    private ModelSource selectModel(GateOptions o) {
        List<ModelSource> named = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (ModelSource m : models) {
            names.add(m.descriptor().name());
        }
        String name = o.modelName().isEmpty() && !names.isEmpty() ? names.iterator().next() : o.modelName();
        if (o.modelName().isEmpty() && names.size() > 1) {
            warnOnce("several models are installed " + names + " and model.name is not set: running " + name);
        }
        for (ModelSource m : models) {
            ModelDescriptor d = m.descriptor();
            if (d.name().equals(name) && (o.modelVersion().isEmpty() || sameVersion(d.version(), o.modelVersion()))) {
                named.add(m);
            }
        }
        if (named.isEmpty()) {
            state = names.isEmpty() ? "no model installed"
                    : "model " + (name + (o.modelVersion().isEmpty() ? "" : ":" + o.modelVersion()))
                            + " is not installed (installed: " + names + ")";
            return null;
        }
        named.sort(Comparator.comparing((ModelSource m) -> Version.parseVersion(m.descriptor().version()))
                .reversed());
        return named.get(0);
    }

    private List<InferenceBackend> rankBackends(ModelSource model, GateOptions o) {
        List<InferenceBackend> usable = new ArrayList<>();
        for (InferenceBackend b : backends) {
            if (b.acceptedFormats().contains(model.descriptor().format()) && b.availability().available()) {
                usable.add(b);
            }
        }
        usable.sort(Comparator.comparing((InferenceBackend b) -> !b.id().equals(o.preferredBackend()))
                .thenComparing(Comparator.comparingInt(InferenceBackend::rank).reversed())
                .thenComparing(InferenceBackend::id));
        if (!o.preferredBackend().isEmpty() && (usable.isEmpty() || !usable.get(0).id().equals(o.preferredBackend()))) {
            warnOnce("preferred backend " + o.preferredBackend() + " is not usable for "
                    + model.descriptor().coordinates() + " (" + describeBackend(o.preferredBackend())
                    + "); falling back");
        }
        return usable;
    }

    private String describeBackend(String id) {
        for (InferenceBackend b : backends) {
            if (b.id().equals(id)) {
                Availability a = b.availability();
                return a.available() ? "does not accept its format" : a.reason();
            }
        }
        return "not installed";
    }

    private String noBackendReason(ModelSource model) {
        List<String> reasons = new ArrayList<>();
        for (InferenceBackend b : backends) {
            Availability a = b.availability();
            reasons.add(b.id() + (a.available() ? " does not accept " + model.descriptor().format() : " " + a));
        }
        return reasons.isEmpty() ? "no inference backend installed" : "no usable backend (" + String.join(", ", reasons) + ")";
    }

    private void warnOnce(String warning) {
        if (!warning.equals(lastWarning)) {
            lastWarning = warning;
            LOG.log(Level.WARNING, warning);
        }
    }

    private static boolean sameVersion(String a, String b) {
        try {
            return Version.parseVersion(a).equals(Version.parseVersion(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    @Override
    public void close() {
        loader.shutdownNow();
        try {
            if (!loader.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "model loader did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        swap(null);
        state = "stopped";
    }
}
