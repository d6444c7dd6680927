package com.factory.inspect.gate.internal;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.decision.Actuation;
import com.factory.inspect.api.decision.InspectionListener;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.LatencyBreakdown;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.decision.RejectGate;
import com.factory.inspect.api.decision.Verdict;
import com.factory.inspect.gate.defectlog.DefectLog;
import com.factory.inspect.gate.stats.GateStatistics;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns a claimed frame into its one result: fires the reject gate for a fail, then counts the
 * result, logs a failed frame and tells the listeners.
 */
final class ResultPublisher {
    private static final Logger LOG = System.getLogger(ResultPublisher.class.getName());
    private static final long COMPLAINT_INTERVAL_NANOS = 10_000_000_000L;

    private final Supplier<GateOptions> options;
    private final Supplier<RejectGate> rejectGate;
    private final List<InspectionListener> listeners;
    private final GateStatistics statistics;
    private final Supplier<DefectLog> defectLog;
    private final LongSupplier nanoClock;
    private final LongAdder lateDecisions = new LongAdder();
    private volatile long lastComplaintNanos;

    ResultPublisher(Supplier<GateOptions> options, Supplier<RejectGate> rejectGate,
            List<InspectionListener> listeners, GateStatistics statistics, Supplier<DefectLog> defectLog,
            LongSupplier nanoClock) {
        this.options = options;
        this.rejectGate = rejectGate;
        this.listeners = listeners;
        this.statistics = statistics;
        this.defectLog = defectLog;
        this.nanoClock = nanoClock;
        this.lastComplaintNanos = nanoClock.getAsLong() - COMPLAINT_INTERVAL_NANOS;
    }

    /** Decisions that came after the fail-safe had already decided (counted, then discarded). */
    long lateDecisions() {
        return lateDecisions.sum();
    }

    /**
     * The model decided on {@code job}.
     *
     * @param takenNanos when the worker took the frame
     * @param preprocessedNanos when preprocessing finished
     * @param inferredNanos when inference finished
     */
    void decided(Job job, ActiveModel model, double defectProbability, long takenNanos, long preprocessedNanos,
            long inferredNanos) {
        if (!job.claim()) {
            lateDecisions.increment();
            return;
        }
        double threshold = threshold(model);
        long now = nanoClock.getAsLong();
        if (job.failSafeDue(now)) {
            emitFailSafe(job, Outcome.DEADLINE_MISSED, model, defectProbability);
            return;
        }
        Verdict verdict = Verdict.of(defectProbability, threshold);
        Actuation actuation = verdict == Verdict.FAIL ? fire(job) : Actuation.NONE;
        long decided = nanoClock.getAsLong();
        Frame frame = job.frame;
        LatencyBreakdown latency = new LatencyBreakdown(takenNanos - frame.captureNanos(),
                preprocessedNanos - takenNanos, inferredNanos - preprocessedNanos, decided - inferredNanos,
                decided - frame.captureNanos());
        emit(job, new InspectionResult(frame.cameraId(), frame.sequence(), verdict, defectProbability, threshold,
                model.descriptor().name(), model.descriptor().version(), model.backendId(), latency, true,
                Outcome.DECIDED, actuation, frame.groundTruth()));
    }

    /**
     * The fail-safe decides on {@code job} (dropped, deadline due, no model, inference failed),
     * unless someone else already produced its result.
     *
     * @param model the active model when known (for the record), else null
     */
    void failSafe(Job job, Outcome outcome, ActiveModel model) {
        if (job.claim()) {
            emitFailSafe(job, outcome, model, Double.NaN);
        }
    }

    void failSafe(Job job, Outcome outcome) {
        failSafe(job, outcome, null);
    }

    private void emitFailSafe(Job job, Outcome outcome, ActiveModel model, double defectProbability) {
        Verdict verdict = options.get().failSafe().verdict();
        Actuation actuation = verdict == Verdict.FAIL ? fire(job) : Actuation.NONE;
        Frame frame = job.frame;
        emit(job, new InspectionResult(frame.cameraId(), frame.sequence(), verdict, defectProbability,
                threshold(model), model == null ? "" : model.descriptor().name(),
                model == null ? "" : model.descriptor().version(), model == null ? "" : model.backendId(),
                LatencyBreakdown.totalOnly(nanoClock.getAsLong() - frame.captureNanos()), false, outcome, actuation,
                frame.groundTruth()));
    }

    private double threshold(ActiveModel model) {
        GateOptions o = options.get();
        if (!o.usesModelThreshold()) {
            return o.threshold();
        }
        return model == null ? Double.NaN : model.descriptor().threshold();
    }

    private Actuation fire(Job job) {
        RejectGate gate = rejectGate.get();
        if (gate == null) {
            complain("no reject gate is registered: failed parts are NOT removed from the line", null);
            return Actuation.FAILED;
        }
        try {
            return gate.fire(job.frame.cameraId(), job.frame.sequence(), job.deadlineNanos);
        } catch (RuntimeException e) {
            complain("the reject gate failed", e);
            return Actuation.FAILED;
        }
    }

    private void emit(Job job, InspectionResult result) {
        Frame frame = job.frame;
        statistics.record(result);
        job.intake.count(result);
        logIfFailed(result, frame);
        for (InspectionListener listener : listeners) {
            try {
                listener.inspected(result, frame);
            } catch (RuntimeException e) {
                complain("inspection listener " + listener.getClass().getName() + " failed", e);
            }
        }
    }

    private void logIfFailed(InspectionResult result, Frame frame) {
        if (result.verdict() != Verdict.FAIL || result.outcome() == Outcome.DROPPED) {
            return;
        }
        DefectLog log = defectLog.get();
        if (log != null) {
            log.offer(result, frame);
        }
    }

    /** Logs a recurring problem at most every few seconds. */
    private void complain(String message, Throwable cause) {
        long now = nanoClock.getAsLong();
        long last = lastComplaintNanos;
        if (now - last >= COMPLAINT_INTERVAL_NANOS) {
            lastComplaintNanos = now;
            LOG.log(Level.ERROR, message, cause);
        }
    }
}
