package com.factory.inspect.gate.internal;

import com.factory.inspect.api.decision.FailSafe;
import java.nio.file.Path;
import java.util.List;

/**
 * The gate's settings, parsed and checked. Invalid values are reported and replaced by the value in
 * force before (or the default), so a typo in a configuration file never stops the line.
 *
 * @param threshold decision threshold on p(defect), or a negative value to use the model's own
 * @param deadlineNanos reject deadline counted from capture
 * @param failSafeMarginNanos how long before the deadline the fail-safe takes over
 * @param failSafe what undecided parts get
 * @param queueCapacity frames held per camera before the oldest is dropped
 * @param workers inspection worker threads
 * @param modelName model to run (empty: the only or first installed one)
 * @param modelVersion version to run (empty: the highest installed)
 * @param preferredBackend backend id to prefer when available (empty: highest rank)
 * @param defectLogFolder where failed frames go (empty: not logged)
 * @param defectLogMaxBytes size bound of the defect log
 * @param defectLogMaxEntries entry bound of the defect log
 * @param summaryIntervalSeconds how often the summary line is printed (0: never)
 * @param stallFactor a camera is stalled after this many missed frame intervals (at least 1 s)
 * @param backendRetrySeconds how often a better backend that is still preparing the model (an engine
 *        build) is asked again, while the next backend runs it
 */
record GateOptions(double threshold, long deadlineNanos, long failSafeMarginNanos, FailSafe failSafe,
        int queueCapacity, int workers, String modelName, String modelVersion, String preferredBackend,
        String defectLogFolder, long defectLogMaxBytes, int defectLogMaxEntries, int summaryIntervalSeconds,
        double stallFactor, int backendRetrySeconds) {

    static final GateOptions DEFAULTS = new GateOptions(-1, 100_000_000L, 5_000_000L, FailSafe.REJECT, 4,
            Runtime.getRuntime().availableProcessors(), "", "", "", "var/defects", 512L << 20, 10_000, 10, 3.0, 30);

    /** Whether the threshold comes from the model. */
    boolean usesModelThreshold() {
        return threshold < 0;
    }

    Path defectLogPath() {
        return defectLogFolder.isBlank() ? null : Path.of(defectLogFolder);
    }

    /**
     * Parses a configuration; every rejected value is described in {@code problems} and keeps its
     * value from {@code previous}.
     */
    static GateOptions parse(InspectionGate.Config c, GateOptions previous, List<String> problems) {
        double threshold = c.threshold();
        if (Double.isNaN(threshold) || threshold > 1.0) {
            problems.add("threshold=" + threshold + " must be within 0..1 (or -1 for the model's own)");
            threshold = previous.threshold();
        }
        long deadline = c.deadline_ms();
        if (deadline < 1 || deadline > 60_000) {
            problems.add("deadline.ms=" + deadline + " must be within 1..60000");
            deadline = previous.deadlineNanos() / 1_000_000L;
        }
        long margin = c.failsafe_margin_ms();
        if (margin < 0 || margin >= deadline) {
            problems.add("failsafe.margin.ms=" + margin + " must be at least 0 and below deadline.ms=" + deadline);
            margin = Math.min(previous.failSafeMarginNanos() / 1_000_000L, deadline - 1);
        }
        int capacity = c.queue_capacity();
        if (capacity < 1 || capacity > 1024) {
            problems.add("queue.capacity=" + capacity + " must be within 1..1024");
            capacity = previous.queueCapacity();
        }
        int workers = c.workers() == 0 ? Runtime.getRuntime().availableProcessors() : c.workers();
        if (workers < 1 || workers > 64) {
            problems.add("workers=" + c.workers() + " must be within 1..64 (0: one per core)");
            workers = previous.workers();
        }
        long maxMb = c.defect_log_max_mb();
        if (maxMb < 1) {
            problems.add("defect.log.max.mb=" + maxMb + " must be positive");
            maxMb = previous.defectLogMaxBytes() >> 20;
        }
        int maxEntries = c.defect_log_max_entries();
        if (maxEntries < 1) {
            problems.add("defect.log.max.entries=" + maxEntries + " must be positive");
            maxEntries = previous.defectLogMaxEntries();
        }
        int summary = c.summary_interval_s();
        if (summary < 0) {
            problems.add("summary.interval.s=" + summary + " must be 0 (off) or positive");
            summary = previous.summaryIntervalSeconds();
        }
        double stall = c.camera_stall_factor();
        if (!(stall >= 1.5)) {
            problems.add("camera.stall.factor=" + stall + " must be at least 1.5");
            stall = previous.stallFactor();
        }
        int retry = c.backend_retry_s();
        if (retry < 1 || retry > 3600) {
            problems.add("backend.retry.s=" + retry + " must be within 1..3600");
            retry = previous.backendRetrySeconds();
        }
        return new GateOptions(threshold, deadline * 1_000_000L, margin * 1_000_000L, c.failsafe(), capacity, workers,
                c.model_name().trim(), c.model_version().trim(), c.backend_preferred().trim(),
                c.defect_log_dir().trim(), maxMb << 20, maxEntries, summary, stall, retry);
    }
}
