package com.factory.inspect.gate.internal;

import com.factory.inspect.api.gate.ModelStatus;
import com.factory.inspect.api.gate.Verification;
import com.factory.inspect.api.inference.ErrorCode;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.osgi.framework.Version;

/**
 * Decides which model runs on which backend and keeps it loaded. Whenever models, backends or the
 * configuration change, it works out the wanted (model, backend) pair on its own thread; a new pair
 * is loaded, checked and warmed up first and then switched in atomically, and the model it replaces
 * is closed after its last inference. A model that fails verification is rejected (and the one
 * running keeps running); a backend that keeps failing at inference is given up on for that model,
 * which is reloaded on the next backend. The inspection loop never waits for any of this.
 */
final class ModelManager implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ModelManager.class.getName());
    private static final int WARM_UP_RUNS = 5;
    /** Inference failures in a row after which the backend is given up on for this model. */
    static final int FAILURES_BEFORE_FALLBACK = 5;
    private static final long FAILED_BACKEND_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final int HISTORY = 10;
    /** Errors that are the model's fault, whatever the backend. */
    private static final Set<ErrorCode> MODEL_FAULTS = EnumSet.of(ErrorCode.MODEL_UNREADABLE,
            ErrorCode.CHECKSUM_MISMATCH, ErrorCode.MODEL_INVALID, ErrorCode.SHAPE_MISMATCH);

    /** What the manager knows of one installed model. */
    private static final class Known {
        volatile ModelStatus.State state = ModelStatus.State.NOT_VERIFIED;
        volatile String backendId = "";
        volatile String detail = "";
    }

    private final List<InferenceBackend> backends = new CopyOnWriteArrayList<>();
    private final BackendChoice choice;
    private final List<ModelSource> models = new CopyOnWriteArrayList<>();
    private final Map<ModelSource, Known> known = new ConcurrentHashMap<>();
    private final Deque<String> history = new ArrayDeque<>();
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inspect-model-loader");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean reconcilePending = new AtomicBoolean();
    private final AtomicBoolean retryPending = new AtomicBoolean();
    private volatile boolean started;
    private volatile GateOptions options;
    private volatile ActiveModel active;
    private volatile String state = "waiting for a model and a backend";
    private volatile String lastWarning = "";

    ModelManager(GateOptions options, LongSupplier nanoClock) {
        this.options = options;
        this.nanoClock = nanoClock;
        this.choice = new BackendChoice(backends, nanoClock, this::warnOnce);
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
        choice.forget(backend);
        reconcileLater();
    }

    void addModel(ModelSource model) {
        known.put(model, new Known());
        models.add(model);
        reconcileLater();
    }

    void removeModel(ModelSource model) {
        models.remove(model);
        known.remove(model);
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
        onLoaderOnce(reconcilePending, 0, this::reconcile);
    }

    /** Runs {@code work} on the loader thread after {@code delaySeconds}, unless it is already pending. */
    private void onLoaderOnce(AtomicBoolean pending, long delaySeconds, Runnable work) {
        if (started && pending.compareAndSet(false, true)) {
            try {
                loader.schedule(() -> {
                    pending.set(false);
                    work.run();
                }, delaySeconds, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    /** Asks again later, so the line moves up once a better backend has the model ready. */
    private void retryLater() {
        onLoaderOnce(retryPending, options.backendRetrySeconds(), this::reconcileLater);
    }

    // --- what the workers report ---

    /** An inference on {@code model} failed; after a few in a row its backend is given up on. */
    void inferenceFailed(ActiveModel model, InferenceException e) {
        if (model.consecutiveFailures().incrementAndGet() == FAILURES_BEFORE_FALLBACK) {
            choice.pause(model.backend(), model.source(), FAILED_BACKEND_PAUSE_NANOS);
            LOG.log(Level.ERROR, "backend {0} failed {1} inferences in a row on {2} ({3}); reloading the model on "
                    + "the next backend", model.backendId(), FAILURES_BEFORE_FALLBACK,
                    model.descriptor().coordinates(), e.getMessage());
            reconcileLater();
        }
    }

    // --- choosing and switching ---

    private void reconcile() {
        GateOptions o = options;
        List<ModelSource> candidates = candidates(o);
        if (candidates.isEmpty()) {
            retire(state);
            return;
        }
        ActiveModel current = active;
        List<String> failures = new ArrayList<>();
        boolean preparing = false;
        for (ModelSource wanted : candidates) {
            List<InferenceBackend> usable = choice.rank(wanted, o.preferredBackend());
            for (InferenceBackend backend : usable) {
                if (current != null && current.source() == wanted && current.backend() == backend) {
                    state = "active";
                    if (preparing) {
                        retryLater();
                    }
                    return; // already the best that works
                }
                try {
                    ActiveModel next = loadChecked(wanted, backend);
                    swap(next);
                    state = "active";
                    if (preparing) {
                        retryLater();
                    }
                    return;
                } catch (InferenceException e) {
                    preparing |= e.code() == ErrorCode.NOT_READY;
                    failures.add(wanted.descriptor().coordinates() + " on " + backend.id() + ": " + e.getMessage());
                    if (MODEL_FAULTS.contains(e.code())) {
                        break; // no other backend will read it either
                    }
                }
            }
            if (usable.isEmpty()) {
                failures.add(wanted.descriptor().coordinates() + ": " + choice.noBackendReason(wanted));
            }
        }
        retire(String.join("; ", failures));
        if (preparing) {
            retryLater();
        }
    }

    /** Loads, checks and warms up {@code model} on {@code backend}; records the outcome. */
    private ActiveModel loadChecked(ModelSource model, InferenceBackend backend) throws InferenceException {
        Known k = known.computeIfAbsent(model, m -> new Known());
        String what = model.descriptor().coordinates() + " on " + backend.id();
        state = "loading " + what;
        k.state = ModelStatus.State.LOADING;
        long start = nanoClock.getAsLong();
        try {
            ActiveModel loaded = load(model, backend);
            k.state = ModelStatus.State.VERIFIED;
            k.backendId = backend.id();
            k.detail = "";
            LOG.log(Level.INFO, "model {0} from {1} verified (load, checks and warm-up {2} ms)", what, model.origin(),
                    (nanoClock.getAsLong() - start) / 1_000_000);
            return loaded;
        } catch (InferenceException e) {
            if (e.code() == ErrorCode.NOT_READY) {
                LOG.log(Level.INFO, "model {0} is being prepared ({1}); meanwhile the next backend runs it, asked again "
                        + "every {2} s", what, e.getMessage(), options.backendRetrySeconds());
                throw e;
            }
            // Rejected for good only when the model itself is at fault; a backend problem may pass.
            k.state = MODEL_FAULTS.contains(e.code()) ? ModelStatus.State.REJECTED : ModelStatus.State.NOT_VERIFIED;
            k.detail = e.getMessage();
            LOG.log(Level.ERROR, "model {0} from {1} {2}: {3}", what, model.origin(),
                    k.state == ModelStatus.State.REJECTED ? "rejected" : "could not be loaded", e.getMessage());
            throw e;
        }
    }

    /** Loads and warms up, closing what was loaded if the warm-up fails. */
    private static ActiveModel load(ModelSource model, InferenceBackend backend) throws InferenceException {
        LoadedModel loaded;
        try {
            loaded = backend.load(model);
        } catch (RuntimeException e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, backend.id() + " failed to load "
                    + model.descriptor().coordinates() + ": " + e, e);
        }
        try {
            ActiveModel next = ActiveModel.of(loaded, model, backend);
            warmUp(next);
            return next;
        } catch (InferenceException | RuntimeException e) {
            loaded.close();
            if (e instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException(ErrorCode.MODEL_INVALID, "warm-up of " + model.descriptor().coordinates()
                    + " on " + backend.id() + " failed: " + e, e);
        }
    }

    /**
     * A few inferences through the same buffers and preprocessing sizes as the line's, so the
     * first frames on the new model do not pay for the runtime's first-run allocations.
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

    /**
     * Nothing wanted can run. The active model keeps the line going if its model and backend are
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

    private void swap(ActiveModel next) {
        ActiveModel previous = active;
        active = next;
        if (next != null) {
            LOG.log(Level.INFO, "model {0} on {1} is active{2}", next.descriptor().coordinates(), next.backendId(),
                    previous == null ? "" : " (was " + previous.descriptor().coordinates() + " on "
                            + previous.backendId() + ")");
        }
        if (previous != null) {
            String coordinates = previous.descriptor().coordinates();
            if (next == null || !next.descriptor().coordinates().equals(coordinates)) {
                synchronized (history) {
                    history.remove(coordinates);
                    history.addFirst(coordinates);
                    while (history.size() > HISTORY) {
                        history.removeLast();
                    }
                }
            }
            Known k = known.get(previous.source());
            if (k != null && k.state == ModelStatus.State.VERIFIED) {
                k.backendId = previous.backendId();
            }
            // Waits for the inferences still running on it.
            previous.model().close();
        }
    }

    /** Installed models that may run, in order of preference: the configured name, highest version first. */
    private List<ModelSource> candidates(GateOptions o) {
        Set<String> names = new TreeSet<>();
        for (ModelSource m : models) {
            names.add(m.descriptor().name());
        }
        String name = o.modelName().isEmpty() && !names.isEmpty() ? names.iterator().next() : o.modelName();
        if (o.modelName().isEmpty() && names.size() > 1) {
            warnOnce("several models are installed " + names + " and model.name is not set: running " + name);
        }
        List<ModelSource> matching = new ArrayList<>();
        for (ModelSource m : models) {
            if (m.descriptor().name().equals(name)
                    && (o.modelVersion().isEmpty()
                            || ModelDescriptor.sameVersion(m.descriptor().version(), o.modelVersion()))) {
                matching.add(m);
            }
        }
        if (matching.isEmpty()) {
            state = names.isEmpty() ? "no model installed"
                    : "model " + (name + (o.modelVersion().isEmpty() ? "" : ":" + o.modelVersion()))
                            + " is not installed (installed: " + names + ")";
            return matching;
        }
        matching.sort(Comparator.comparing((ModelSource m) -> Version.parseVersion(m.descriptor().version()))
                .reversed());
        List<ModelSource> usable = new ArrayList<>(matching);
        usable.removeIf(m -> stateOf(m) == ModelStatus.State.REJECTED);
        if (usable.isEmpty()) {
            state = "every installed version of " + name + " was rejected: " + known.get(matching.get(0)).detail;
        }
        return usable;
    }

    // --- for ModelControl ---

    /** Loads {@code model} the way the line would, for verification or evaluation; the caller closes it. */
    LoadedModel loadForCaller(ModelSource model) throws InferenceException {
        List<InferenceBackend> usable = choice.rank(model, options.preferredBackend());
        if (usable.isEmpty()) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, model.descriptor().coordinates() + ": "
                    + choice.noBackendReason(model));
        }
        InferenceException last = null;
        for (InferenceBackend backend : usable) {
            try {
                return load(model, backend).model();
            } catch (InferenceException e) {
                last = e;
                if (MODEL_FAULTS.contains(e.code())) {
                    break;
                }
            }
        }
        throw last;
    }

    Verification verify(ModelSource model) {
        long start = nanoClock.getAsLong();
        try (LoadedModel loaded = loadForCaller(model)) {
            return new Verification(true, model.descriptor().coordinates(), loaded.backendId(),
                    (nanoClock.getAsLong() - start) / 1_000_000, "");
        } catch (InferenceException e) {
            return new Verification(false, model.descriptor().coordinates(), "",
                    (nanoClock.getAsLong() - start) / 1_000_000, e.getMessage() + " (from " + model.origin() + ")");
        }
    }

    List<ModelStatus> models() {
        ActiveModel current = active;
        List<ModelStatus> list = new ArrayList<>();
        for (ModelSource m : models) {
            Known k = known.getOrDefault(m, new Known());
            boolean isActive = current != null && current.source() == m;
            list.add(new ModelStatus(m.descriptor().name(), m.descriptor().version(), m.descriptor().format().name(),
                    m.origin(), isActive ? ModelStatus.State.ACTIVE : k.state,
                    isActive ? current.backendId() : k.backendId, k.detail));
        }
        list.sort(Comparator.comparing(ModelStatus::name)
                .thenComparing(s -> Version.parseVersion(s.version()), Comparator.reverseOrder()));
        return list;
    }

    List<String> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    // --- helpers ---

    private ModelStatus.State stateOf(ModelSource m) {
        Known k = known.get(m);
        return k == null ? ModelStatus.State.NOT_VERIFIED : k.state;
    }

    private void warnOnce(String warning) {
        if (!warning.equals(lastWarning)) {
            lastWarning = warning;
            LOG.log(Level.WARNING, warning);
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
