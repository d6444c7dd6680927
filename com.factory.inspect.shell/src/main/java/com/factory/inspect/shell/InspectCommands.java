package com.factory.inspect.shell;

import com.factory.inspect.api.gate.CameraStatus;
import com.factory.inspect.api.gate.GateStatus;
import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.gate.StageLatency;
import com.factory.inspect.api.gate.Statistics;
import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.model.ModelFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The {@code inspect:} commands of the Gogo shell, for field technicians. */
@Component(service = InspectCommands.class, property = {
        "osgi.command.scope=inspect",
        "osgi.command.function=status",
        "osgi.command.function=cameras",
        "osgi.command.function=backends",
        "osgi.command.function=threshold",
        "osgi.command.function=stats"})
public class InspectCommands {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile InspectionService gate;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<InferenceBackend> backends;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Descriptor("show the gateway at a glance: uptime, cameras, rate, model, backend, latency, misses, defects")
    public String status() {
        GateStatus s = requireGate().status();
        Statistics st = s.statistics();
        StageLatency total = st.stage("total");
        StringBuilder b = new StringBuilder();
        line(b, "uptime", format(s.uptime()));
        line(b, "cameras", s.cameras() + " (" + fmt(s.framesPerSecond(), 1) + " frames/s inspected)");
        line(b, "model", s.modelName().isEmpty() ? "none" : s.modelName() + " " + s.modelVersion());
        line(b, "backend", s.backendId().isEmpty() ? "none" : s.backendId());
        line(b, "model state", s.modelState());
        line(b, "threshold", Double.isNaN(s.threshold()) ? "from model (no model active)"
                : fmt(s.threshold(), 4) + " (fail if p(defect) >= threshold)");
        line(b, "deadline", s.deadlineMillis() + " ms from capture");
        line(b, "latency", "p50 " + fmt(total.p50Ms(), 2) + " ms, p99 " + fmt(total.p99Ms(), 2) + " ms, max "
                + fmt(total.maxMs(), 2) + " ms");
        line(b, "inspected", st.inspected() + " (passed " + st.passed() + ", failed " + st.failed() + ")");
        line(b, "missed deadlines", Long.toString(st.missedDeadlines()));
        line(b, "dropped", Long.toString(st.dropped()));
        line(b, "fail-safe", Long.toString(st.failSafe()));
        line(b, "defect rate", fmt(100 * st.defectRate(), 2) + " % of model decisions");
        line(b, "since", st.since().toString());
        return b.toString();
    }

    @Descriptor("list the cameras with their state, configured and measured frame rate and counters")
    public String cameras() {
        TextTable t = new TextTable("CAMERA", "KIND", "STATE", "FPS", "MEASURED", "FRAMES", "DROPPED", "MISSED",
                "FAILED", "DETAIL");
        for (CameraStatus c : requireGate().cameras()) {
            t.row(c.cameraId(), c.kind(), c.state(), fmt(c.configuredFps(), 1), fmt(c.measuredFps(), 1), c.frames(),
                    c.dropped(), c.missedDeadlines(), c.failed(), c.detail());
        }
        return t.toString();
    }

    @Descriptor("list the inference backends, their rank, formats and availability (with the reason when unavailable)")
    public String backends() {
        InspectionService g = gate;
        String activeBackend = g == null ? "" : g.status().backendId();
        TextTable t = new TextTable("BACKEND", "RANK", "FORMATS", "ACTIVE", "AVAILABILITY");
        List<InferenceBackend> list = backends;
        if (list != null) {
            list.stream().sorted(Comparator.comparingInt(InferenceBackend::rank).reversed()).forEach(backend -> {
                Availability a = backend.availability();
                t.row(backend.id(), backend.rank(),
                        backend.acceptedFormats().stream().map(ModelFormat::name).sorted()
                                .collect(Collectors.joining(",")),
                        backend.id().equals(activeBackend) ? "*" : "", a.toString());
            });
        }
        return t.toString();
    }

    @Descriptor("show the decision threshold on p(defect)")
    public String threshold() {
        GateStatus s = requireGate().status();
        Object configured = GateConfiguration.get(configurationAdmin, "threshold");
        boolean fromModel = configured == null || Double.parseDouble(configured.toString()) < 0;
        return "threshold " + (Double.isNaN(s.threshold()) ? "-" : fmt(s.threshold(), 4))
                + (fromModel ? " (the model's own" + (s.modelName().isEmpty() ? "" : ", " + s.modelName() + " "
                        + s.modelVersion()) + ")" : " (configured)") + "\n";
    }

    @Descriptor("set the decision threshold: parts with p(defect) >= value fail; 'model' uses the model's own")
    public String threshold(@Descriptor("a number within 0..1, or 'model'") String value) throws IOException {
        double threshold;
        if ("model".equalsIgnoreCase(value.trim())) {
            threshold = -1;
        } else {
            try {
                threshold = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threshold must be a number within 0..1 or 'model', not '" + value
                        + "'");
            }
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be within 0..1, not " + value);
            }
        }
        GateConfiguration.update(configurationAdmin, Map.of("threshold", threshold));
        return "threshold set to " + (threshold < 0 ? "the model's own" : fmt(threshold, 4))
                + " (saved in the gate configuration; applies to the next frame)\n";
    }

    @Descriptor("show counters and per-stage latency percentiles since start or the last reset")
    public String stats() {
        Statistics st = requireGate().statistics();
        StringBuilder b = new StringBuilder(st.summaryLine()).append('\n');
        TextTable t = new TextTable("STAGE", "P50_MS", "P99_MS", "MAX_MS");
        for (StageLatency s : st.stages()) {
            t.row(s.stage(), fmt(s.p50Ms(), 3), fmt(s.p99Ms(), 3), fmt(s.maxMs(), 3));
        }
        return b.append(t).append("since ").append(st.since()).append('\n').toString();
    }

    @Descriptor("'stats reset' starts counting afresh")
    public String stats(@Descriptor("reset") String action) {
        if (!"reset".equalsIgnoreCase(action.trim())) {
            throw new IllegalArgumentException("unknown stats action '" + action + "'; use 'stats' or 'stats reset'");
        }
        requireGate().resetStatistics();
        return "statistics reset\n";
    }

    private InspectionService requireGate() {
        InspectionService g = gate;
        if (g == null) {
            throw new IllegalStateException("the inspection gate is not running (check 'scr:list' and the log)");
        }
        return g;
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-17s %s%n", label, value));
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return String.format(Locale.ROOT, "%dd %02d:%02d:%02d", s / 86400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    }
}
