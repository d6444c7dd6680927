package com.factory.inspect.gate.internal;

import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.decision.FailSafe;
import com.factory.inspect.api.decision.InspectionListener;
import com.factory.inspect.api.decision.RejectGate;
import com.factory.inspect.api.gate.CameraStatus;
import com.factory.inspect.api.gate.GateStatus;
import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.gate.ModelStatus;
import com.factory.inspect.api.gate.Verification;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.gate.Statistics;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.gate.defectlog.DefectLog;
import com.factory.inspect.gate.stats.GateStatistics;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The inspection gate: attaches every camera, runs each frame through preprocessing and the active
 * model on worker threads, decides against the threshold, fires the reject gate before the deadline
 * (or lets the fail-safe decide), and keeps statistics and the defect log.
 */
@Component(configurationPid = InspectionGate.PID, service = {InspectionService.class, ModelControl.class},
        immediate = true)
@Designate(ocd = InspectionGate.Config.class)
public class InspectionGate implements InspectionService, ModelControl {
    static final String PID = "com.factory.inspect.gate";
    private static final Logger LOG = System.getLogger(InspectionGate.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect gate", description = "The inspection loop: decision threshold, "
            + "reject deadline, fail-safe, queues, workers, model choice and defect log.")
    public @interface Config {
        @AttributeDefinition(description = "Decision threshold on p(defect): at or above it a part fails. "
                + "-1 uses the active model's own threshold (the demo model's is 0.08, i.e. reject if "
                + "pass-confidence < 0.92).")
        double threshold() default -1;

        @AttributeDefinition(description = "Reject deadline in ms, counted from capture.")
        long deadline_ms() default 100;

        @AttributeDefinition(description = "The fail-safe decides this many ms before the deadline if the model "
                + "has not, so the actuator still fires in time.")
        long failsafe_margin_ms() default 5;

        @AttributeDefinition(description = "What a part gets when no decision is ready in time (also dropped "
                + "frames, no model, inference failures).")
        FailSafe failsafe() default FailSafe.REJECT;

        @AttributeDefinition(description = "Frames queued per camera; when full, the oldest is dropped (and gets "
                + "the fail-safe).")
        int queue_capacity() default 4;

        @AttributeDefinition(description = "Inspection worker threads; 0 means one per CPU core.")
        int workers() default 0;

        @AttributeDefinition(description = "Model to run; empty runs the only (or alphabetically first) model "
                + "installed.")
        String model_name() default "";

        @AttributeDefinition(description = "Model version to run; empty runs the highest installed.")
        String model_version() default "";

        @AttributeDefinition(description = "Backend id to use when it is available (e.g. tensorrt); empty uses "
                + "the highest-ranked available backend.")
        String backend_preferred() default "";

        @AttributeDefinition(description = "Seconds between asking a better backend again that is still "
                + "preparing the model (e.g. TensorRT building its engine); meanwhile the next backend runs it.")
        int backend_retry_s() default 30;

        @AttributeDefinition(description = "Folder for failed frames (PNG + JSON); empty turns the defect log off.")
        String defect_log_dir() default "var/defects";

        @AttributeDefinition(description = "Size bound of the defect log folder in MiB; the oldest entries go "
                + "first.")
        long defect_log_max_mb() default 512;

        @AttributeDefinition(description = "Entry bound of the defect log folder.")
        int defect_log_max_entries() default 10_000;

        @AttributeDefinition(description = "Seconds between summary lines on standard output; 0 turns them off.")
        int summary_interval_s() default 10;

        @AttributeDefinition(description = "A camera counts as stalled after this many frame intervals without a "
                + "frame (at least 1 s).")
        double camera_stall_factor() default 3;
    }

    private final Clock clock = Clock.systemUTC();
    private final LongSupplier nanoClock = System::nanoTime;
    private final Object lifecycle = new Object();
    private final WorkQueue work = new WorkQueue();
    private final GateStatistics statistics = new GateStatistics(clock);
    private final List<InspectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<FrameSource, CameraIntake> cameras = new ConcurrentHashMap<>();
    private final List<InspectionWorker> workers = new CopyOnWriteArrayList<>();
    private volatile GateOptions options = GateOptions.DEFAULTS;
    private final ModelManager models = new ModelManager(options, nanoClock);
    private volatile DefectLog defectLog;
    private final ResultPublisher publisher = new ResultPublisher(() -> options, () -> this.rejectGate, listeners,
            statistics, () -> defectLog, nanoClock);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RejectGate rejectGate;

    private boolean active;
    private DeadlineWatchdog watchdog;
    private ScheduledExecutorService monitor;
    private long startedNanos;
    private long lastRateNanos;
    private long lastRateCount;
    private volatile double framesPerSecond;

    @Activate
    void activate(Config config) {
        synchronized (lifecycle) {
            startedNanos = nanoClock.getAsLong();
            lastRateNanos = startedNanos;
            applyOptions(config, GateOptions.DEFAULTS);
            resizeWorkers(options.workers());
            models.start();
            watchdog = new DeadlineWatchdog(work, () -> workers, models, publisher, nanoClock);
            startDaemon(watchdog, "inspect-deadline-watchdog");
            monitor = Executors.newSingleThreadScheduledExecutor(r -> newDaemon(r, "inspect-monitor"));
            monitor.scheduleAtFixedRate(this::monitorTick, 1, 1, TimeUnit.SECONDS);
            active = true;
            for (CameraIntake intake : cameras.values()) {
                openCamera(intake);
            }
            LOG.log(Level.INFO, "inspection gate started: {0} workers, deadline {1} ms, fail-safe {2}",
                    options.workers(), options.deadlineNanos() / 1_000_000, options.failSafe());
        }
    }

    @Modified
    void modified(Config config) {
        synchronized (lifecycle) {
            GateOptions previous = options;
            applyOptions(config, previous);
            if (options.workers() != previous.workers()) {
                resizeWorkers(options.workers());
            }
            if (!options.equals(previous)) {
                LOG.log(Level.INFO, "gate configuration applied: threshold {0}, deadline {1} ms, {2} workers, "
                        + "queue {3}", options.usesModelThreshold() ? "from model" : options.threshold(),
                        options.deadlineNanos() / 1_000_000, options.workers(), options.queueCapacity());
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lifecycle) {
            active = false;
            for (CameraIntake intake : cameras.values()) {
                intake.close();
            }
            // Let queued frames finish (they are all decided by their deadline at the latest).
            long until = nanoClock.getAsLong() + options.deadlineNanos();
            while (nanoClock.getAsLong() < until && !cameras.values().stream().allMatch(CameraIntake::isDrained)) {
                sleep(5);
            }
            resizeWorkers(0);
            if (watchdog != null) {
                watchdog.stop();
            }
            if (monitor != null) {
                shutdown(monitor);
            }
            models.close();
            DefectLog log = defectLog;
            defectLog = null;
            if (log != null) {
                log.close();
            }
            LOG.log(Level.INFO, "inspection gate stopped: {0}", statistics.snapshot().summaryLine());
        }
    }

    private void applyOptions(Config config, GateOptions previous) {
        List<String> problems = new ArrayList<>();
        GateOptions next = GateOptions.parse(config, previous, problems);
        for (String problem : problems) {
            LOG.log(Level.ERROR, "gate configuration {0}: {1}; keeping the previous value", PID, problem);
        }
        options = next;
        models.configure(next);
        if (!Objects.equals(next.defectLogPath(), previous.defectLogPath()) || defectLog == null
                || next.defectLogMaxBytes() != previous.defectLogMaxBytes()
                || next.defectLogMaxEntries() != previous.defectLogMaxEntries()) {
            DefectLog old = defectLog;
            defectLog = next.defectLogPath() == null ? null
                    : new DefectLog(next.defectLogPath().toAbsolutePath(), next.defectLogMaxBytes(),
                            next.defectLogMaxEntries(), clock);
            if (old != null) {
                old.close();
            }
        }
    }

    private void resizeWorkers(int count) {
        while (workers.size() > count) {
            workers.remove(workers.size() - 1).stop();
        }
        while (workers.size() < count) {
            InspectionWorker worker = new InspectionWorker(work, models, publisher, nanoClock);
            workers.add(worker);
            startDaemon(worker, "inspect-worker-" + workers.size());
        }
    }

    private void monitorTick() {
        try {
            long now = nanoClock.getAsLong();
            long count = statistics.lifetimeInspected();
            framesPerSecond = (count - lastRateCount) * 1e9 / Math.max(1, now - lastRateNanos);
            lastRateCount = count;
            lastRateNanos = now;
            for (CameraIntake intake : cameras.values()) {
                intake.checkStall(now, intake.source.info().framesPerSecond(), options.stallFactor());
            }
            for (CameraIntake intake : work.intakes()) {
                if (intake.isRetired() && intake.isDrained() && !cameras.containsValue(intake)) {
                    work.remove(intake);
                }
            }
            int interval = options.summaryIntervalSeconds();
            long uptimeSeconds = (now - startedNanos) / 1_000_000_000L;
            if (interval > 0 && uptimeSeconds > 0 && uptimeSeconds % interval == 0 && !cameras.isEmpty()) {
                System.out.println(statistics.snapshot().summaryLine());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "gate monitor failed", e);
        }
    }

    // --- cameras, models, backends, listeners ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCamera(FrameSource source) {
        CameraIntake intake = new CameraIntake(source, () -> options, work, publisher, nanoClock);
        synchronized (lifecycle) {
            cameras.put(source, intake);
            if (active) {
                openCamera(intake);
            }
        }
    }

    void unbindCamera(FrameSource source) {
        CameraIntake intake;
        synchronized (lifecycle) {
            intake = cameras.remove(source);
        }
        if (intake != null) {
            intake.close();
            LOG.log(Level.INFO, "camera {0} detached", intake.cameraId);
        }
    }

    private void openCamera(CameraIntake intake) {
        work.add(intake);
        try {
            intake.open();
            LOG.log(Level.INFO, "camera {0} attached ({1})", intake.cameraId, intake.source.info().description());
        } catch (RuntimeException e) {
            intake.cameraFailed(intake.cameraId, "cannot open: " + e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(InferenceBackend backend) {
        models.addBackend(backend);
    }

    void unbindBackend(InferenceBackend backend) {
        models.removeBackend(backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModel(ModelSource model) {
        models.addModel(model);
    }

    void unbindModel(ModelSource model) {
        models.removeModel(model);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(InspectionListener listener) {
        listeners.add(listener);
    }

    void unbindListener(InspectionListener listener) {
        listeners.remove(listener);
    }

    // --- InspectionService ---

    @Override
    public GateStatus status() {
        GateOptions o = options;
        ActiveModel model = models.active();
        double threshold = o.usesModelThreshold() ? (model == null ? Double.NaN : model.descriptor().threshold())
                : o.threshold();
        return new GateStatus(Duration.ofNanos(nanoClock.getAsLong() - startedNanos), cameras.size(), framesPerSecond,
                model == null ? "" : model.descriptor().name(), model == null ? "" : model.descriptor().version(),
                model == null ? "" : model.backendId(), models.state(), threshold, o.deadlineNanos() / 1_000_000,
                statistics.snapshot());
    }

    @Override
    public List<CameraStatus> cameras() {
        List<CameraStatus> list = new ArrayList<>();
        for (CameraIntake c : cameras.values()) {
            list.add(new CameraStatus(c.cameraId, c.source.info().kind(), c.state(), c.source.info().framesPerSecond(),
                    c.measuredFps(), c.frames.sum(), c.dropped.sum(), c.missed.sum(), c.failed.sum(), c.detail()));
        }
        list.sort(Comparator.comparing(CameraStatus::cameraId));
        return list;
    }

    @Override
    public Statistics statistics() {
        return statistics.snapshot();
    }

    @Override
    public void resetStatistics() {
        statistics.reset();
        for (CameraIntake c : cameras.values()) {
            c.resetCounters();
        }
    }

    // --- ModelControl ---

    @Override
    public List<ModelStatus> models() {
        return models.models();
    }

    @Override
    public List<String> history() {
        return models.history();
    }

    @Override
    public Verification verify(ModelSource model) {
        return models.verify(model);
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        return models.loadForCaller(model);
    }

    // --- threads ---

    private static Thread newDaemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void startDaemon(Runnable r, String name) {
        newDaemon(r, name).start();
    }

    private static void shutdown(ScheduledExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
