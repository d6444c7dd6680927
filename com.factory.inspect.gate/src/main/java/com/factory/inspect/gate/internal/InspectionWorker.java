package com.factory.inspect.gate.internal;

import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.gate.pipeline.FrameInference;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;

/**
 * One inspection thread: takes the most urgent frame, runs it through the active model
 * ({@link FrameInference}: preprocessing and inference into buffers it reuses) and hands the
 * probability to the publisher.
 */
final class InspectionWorker implements Runnable {
    private static final Logger LOG = System.getLogger(InspectionWorker.class.getName());
    private static final long POLL_MILLIS = 100;

    private final WorkQueue work;
    private final ModelManager models;
    private final ResultPublisher publisher;
    private final LongSupplier nanoClock;
    private volatile boolean running = true;
    /** The frame being worked on, for the watchdog. */
    private volatile Job current;
    private final FrameInference inference = new FrameInference();
    private long lastFailureLogNanos;

    InspectionWorker(WorkQueue work, ModelManager models, ResultPublisher publisher, LongSupplier nanoClock) {
        this.work = work;
        this.models = models;
        this.publisher = publisher;
        this.nanoClock = nanoClock;
    }

    Job current() {
        return current;
    }

    /** Asks the worker to finish its current frame and stop. */
    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            Job job;
            try {
                job = work.take(POLL_MILLIS);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            if (job == null || job.isClaimed()) {
                continue;
            }
            current = job;
            try {
                inspect(job);
            } catch (RuntimeException e) {
                publisher.failSafe(job, Outcome.INFERENCE_FAILED, models.active());
                LOG.log(Level.ERROR, "inspection of " + job.frame + " failed unexpectedly", e);
            } finally {
                current = null;
            }
        }
    }

    private void inspect(Job job) {
        long taken = nanoClock.getAsLong();
        if (job.failSafeDue(taken)) {
            publisher.failSafe(job, Outcome.DEADLINE_MISSED, models.active());
            return;
        }
        // A model switched out between our look and our call is closed: retry once on its successor.
        for (int attempt = 0; attempt < 2; attempt++) {
            ActiveModel model = models.active();
            if (model == null) {
                publisher.failSafe(job, Outcome.NO_MODEL);
                return;
            }
            if (job.failSafeDue(taken + model.serviceTime().averageNanos())) {
                // Overload: this frame cannot be decided in time. Leave it to the fail-safe now and
                // spend the time on a frame that can still make its deadline.
                publisher.failSafe(job, Outcome.DEADLINE_MISSED, model);
                return;
            }
            double p;
            try {
                p = inference.defectProbability(job.frame, model.preprocessor(), model.model(), model.outputLength());
            } catch (InferenceException e) {
                if (e.code() == ErrorCode.CLOSED && models.active() != model) {
                    continue;
                }
                publisher.failSafe(job, Outcome.INFERENCE_FAILED, model);
                logFailure(model, e);
                models.inferenceFailed(model, e);
                return;
            }
            long inferred = nanoClock.getAsLong();
            model.serviceTime().record(inferred - taken);
            if (model.consecutiveFailures().get() != 0) {
                model.consecutiveFailures().set(0);
            }
            publisher.decided(job, model, p, taken, inference.preprocessedNanos(), inferred);
            return;
        }
        publisher.failSafe(job, Outcome.INFERENCE_FAILED, models.active());
    }

    private void logFailure(ActiveModel model, InferenceException e) {
        long now = nanoClock.getAsLong();
        if (now - lastFailureLogNanos > 10_000_000_000L) {
            lastFailureLogNanos = now;
            LOG.log(Level.ERROR, "inference of {0} on {1} failed, the fail-safe decides: {2}",
                    model.descriptor().coordinates(), model.backendId(), e.getMessage());
        }
    }
}
