package com.factory.inspect.bench;

import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.decision.InspectionListener;
import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.gate.StageLatency;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.model.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Runs the real gateway (cameras, gate, backend, all as configured bundles) at the demo line's load
 * ({@code steady}: 12 cameras × 5 fps) and at rising load until deadlines are missed ({@code max}),
 * and prints one line per scenario:
 * {@code scenario=NAME fps=N frames=N p50_ms=X p99_ms=Y missed=N dropped=N raw_ort_p50_ms=Z ratio=R rss_mb=M};
 * model switches under load ({@code swap}); and every available backend on the same twin network
 * ({@code backend}: {@code scenario=backend backend=ID p50_ms=X p99_ms=Y fps=N}).
 */
@Component(service = Callable.class, property = "main.thread=true")
public class GatewayBenchmark implements Callable<Integer> {
    private static final String GATE_PID = "com.factory.inspect.gate";
    private static final String REJECT_LOG_PID = "com.factory.inspect.reject.log";
    private static final String CAMERA_PID = "com.factory.inspect.camera.synthetic";
    private static final int WARM_UP_SWAPS = 10;
    private static final int BACKEND_THREADS = 2;
    private static final String BACKEND_PID = "com.factory.inspect.backend.onnxruntime";

    @Reference
    private InspectionService gate;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<InferenceBackend> backends;

    /**
     * The bnd launcher's service, carrying the command line; the benchmark only runs from it. A
     * reference, not a properties map: the launcher later adds properties, which must not
     * restart the benchmark.
     */
    @Reference(target = "(launcher.arguments=*)", service = Object.class)
    private ServiceReference<Object> launcher;

    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    /** Runs on the launcher's main thread; the return value is the exit code. */
    @Override
    public Integer call() {
        Object args = launcher.getProperty("launcher.arguments");
        List<String> arguments = args instanceof String[] a ? Arrays.asList(a) : List.of();
        try {
            BenchOptions options = BenchOptions.parse(arguments);
            LatencyProbe probe = new LatencyProbe();
            ServiceRegistration<InspectionListener> registration = context.registerService(InspectionListener.class,
                    probe, null);
            try {
                runScenarios(context, options, probe);
            } finally {
                registration.unregister();
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        } finally {
            System.out.flush();
        }
    }

    private void runScenarios(BundleContext context, BenchOptions o, LatencyProbe probe) throws Exception {
        if (o.scenarios().contains("backend")) {
            // Before the line starts, so no camera or gate worker shares the cores with it.
            BackendScenario.run(backends, o.seconds(), BACKEND_THREADS);
            if (o.scenarios().size() == 1) {
                return;
            }
        }
        configure(GATE_PID, Map.of("model.name", o.model(), "defect.log.dir", "", "summary.interval.s", 0, "workers",
                o.workers()));
        configure(BACKEND_PID, Map.of("intra.op.threads", o.intraOpThreads()));
        configure(REJECT_LOG_PID, Map.of("log.actuations", false));
        ModelSource model = awaitModel(context, o.model());
        awaitActive();
        System.out.printf(Locale.ROOT, "# model %s, %d cameras %dx%d, %d s warm-up + %d s per measurement, %d cores, "
                + "workers %s, %d intra-op thread(s)%n", model.descriptor().coordinates(), o.cameras(), o.width(),
                o.height(), o.warmupSeconds(), o.seconds(), Runtime.getRuntime().availableProcessors(),
                o.workers() == 0 ? "one per core" : Integer.toString(o.workers()), o.intraOpThreads());
        if (o.scenarios().contains("steady")) {
            List<Configuration> cameras = setFps(o, o.steadyFps());
            LatencyProbe.Window w = measure(probe, o);
            stopCameras(cameras);
            printLine("steady", w, o, model, probe);
        }
        if (o.scenarios().contains("max")) {
            LatencyProbe.Window best = null;
            double firstMissFps = -1;
            List<Configuration> cameras = List.of();
            for (double fps : o.maxSteps()) {
                cameras = setFps(o, fps);
                LatencyProbe.Window w = measure(probe, o);
                System.out.printf(Locale.ROOT, "# max step: %.0f fps offered, %.1f fps inspected, p50 %.2f ms, p99 "
                        + "%.2f ms, missed %d, dropped %d%n", fps * o.cameras(), (double) w.frames() / o.seconds(),
                        w.p50Ms(), w.p99Ms(), w.missed(), w.dropped());
                if (w.missed() > 0 || w.dropped() > 0) {
                    firstMissFps = fps * o.cameras();
                    break;
                }
                best = w;
            }
            stopCameras(cameras);
            if (best == null) {
                System.out.println("# max: even the first step missed deadlines");
            } else {
                printLine("max", best, o, model, probe);
            }
            System.out.printf(Locale.ROOT, "# max: first step with misses or drops: %s%n",
                    firstMissFps < 0 ? "none up to the last step" : String.format(Locale.ROOT, "%.0f fps", firstMissFps));
        }
        if (o.scenarios().contains("swap")) {
            runSwap(context, o, model, probe);
        }
    }

    private void runSwap(BundleContext context, BenchOptions o, ModelSource model, LatencyProbe probe)
            throws Exception {
        SwapScenario swap = new SwapScenario(context, gate, this::selectVersion);
        String base = model.descriptor().version();
        String other = swap.installSecondVersion(model);
        selectVersion(base);
        List<Configuration> cameras = setFps(o, o.steadyFps(), "swap");
        LatencyProbe.Window steady = measure(probe, o);
        // A few switches first: during a switch two models are loaded at once, which is part of the
        // steady footprint, not a leak.
        swap.swap(WARM_UP_SWAPS, base, other, o.swapIntervalMillis(), 0);
        long rssStart = settledRssMegabytes();
        long start = System.nanoTime();
        probe.arm();
        swap.swap(o.swaps(), base, other, o.swapIntervalMillis(), Math.max(1, o.swaps() / 8));
        LatencyProbe.Window during = probe.disarm();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<FrameSource> sources = swap.sources("swap", o.cameras());
        stopCameras(cameras);
        Thread.sleep(1000); // every queued frame is decided by its deadline
        long delivered = 0;
        long results = 0;
        for (FrameSource s : sources) {
            delivered += s.health().framesDelivered();
            results += probe.resultsOf(s.cameraId());
        }
        long rssEnd = settledRssMegabytes();
        System.out.printf(Locale.ROOT, "# swap: %d switches (after %d warm-up ones) in %.1f s, one every %d ms + "
                + "switch time, %d results during them, %d fail-safe%n", o.swaps(), WARM_UP_SWAPS, seconds,
                o.swapIntervalMillis(), during.frames(), during.failSafe());
        System.out.printf(Locale.ROOT, "scenario=swap swaps=%d frames=%d lost=%d missed=%d p99_ms=%.2f "
                + "p99_steady_ms=%.2f rss_start_mb=%d rss_end_mb=%d%n", o.swaps(), delivered, delivered - results,
                during.missed(), during.p99Ms(), steady.p99Ms(), rssStart, rssEnd);
    }

    private void selectVersion(String version) {
        try {
            Configuration c = configurationAdmin.getConfiguration(GATE_PID, "?");
            java.util.Dictionary<String, Object> p = c.getProperties();
            p.put("model.version", version);
            c.update(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Resident memory after a full garbage collection, so heap churn does not hide or fake a leak. */
    private static long settledRssMegabytes() throws InterruptedException {
        System.gc();
        Thread.sleep(1000);
        return rssMegabytes();
    }

    private LatencyProbe.Window measure(LatencyProbe probe, BenchOptions o) throws InterruptedException {
        Thread.sleep(o.warmupSeconds() * 1000L);
        gate.resetStatistics();
        probe.arm();
        Thread.sleep(o.seconds() * 1000L);
        LatencyProbe.Window w = probe.disarm();
        StringBuilder stages = new StringBuilder("# stages p50/p99 ms:");
        for (StageLatency s : gate.statistics().stages()) {
            stages.append(String.format(Locale.ROOT, " %s %.2f/%.2f", s.stage(), s.p50Ms(), s.p99Ms()));
        }
        System.out.println(stages);
        return w;
    }

    private void printLine(String scenario, LatencyProbe.Window w, BenchOptions o, ModelSource model,
            LatencyProbe probe) throws Exception {
        // The baseline runs on a quiet machine, after the cameras stopped.
        Thread.sleep(500);
        double raw = RawOnnxRuntime.medianMillis(model, probe.lastFrame(), o.intraOpThreads(), 50, 500);
        System.out.printf(Locale.ROOT, "scenario=%s fps=%.1f frames=%d p50_ms=%.2f p99_ms=%.2f missed=%d dropped=%d "
                + "raw_ort_p50_ms=%.2f ratio=%.2f rss_mb=%d%n", scenario, (double) w.frames() / o.seconds(), w.frames(),
                w.p50Ms(), w.p99Ms(), w.missed(), w.dropped(), raw, w.p50Ms() / raw, rssMegabytes());
    }

    private List<Configuration> setFps(BenchOptions o, double fps) throws IOException {
        return setFps(o, fps, "bench");
    }

    /** Creates or updates the cameras' configurations: a running camera changes its rate live. */
    private List<Configuration> setFps(BenchOptions o, double fps, String prefix) throws IOException {
        List<Configuration> cameras = new ArrayList<>();
        for (int i = 1; i <= o.cameras(); i++) {
            String id = String.format(Locale.ROOT, "%s%02d", prefix, i);
            Configuration c = configurationAdmin.getFactoryConfiguration(CAMERA_PID, id, "?");
            c.update(new Hashtable<>(Map.of("camera.id", id, "fps", fps, "width", o.width(), "height", o.height(),
                    "defect.rate", 0.1, "seed", i)));
            cameras.add(c);
        }
        return cameras;
    }

    private static void stopCameras(List<Configuration> cameras) throws IOException, InterruptedException {
        for (Configuration c : cameras) {
            c.delete();
        }
        Thread.sleep(500);
    }

    private void configure(String pid, Map<String, Object> values) throws IOException {
        configurationAdmin.getConfiguration(pid, "?").update(new Hashtable<>(values));
    }

    private static ModelSource awaitModel(BundleContext context, String name) throws Exception {
        for (int i = 0; i < 300; i++) {
            for (ServiceReference<ModelSource> ref : context.getServiceReferences(ModelSource.class,
                    "(" + ModelSource.PROPERTY_NAME + "=" + name + ")")) {
                return context.getService(ref);
            }
            Thread.sleep(100);
        }
        throw new IllegalArgumentException("no model named " + name + " is installed");
    }

    private void awaitActive() throws InterruptedException {
        for (int i = 0; i < 600 && !gate.status().modelState().equals("active"); i++) {
            Thread.sleep(100);
        }
        if (!gate.status().modelState().equals("active")) {
            throw new IllegalStateException("model not active: " + gate.status().modelState());
        }
    }

    /** Resident set size of this process, from /proc (Linux). */
    static long rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
