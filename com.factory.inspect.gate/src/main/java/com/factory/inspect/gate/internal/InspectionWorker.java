package com.factory.inspect.gate.internal;

import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.LongSupplier;

/**
 * One inspection thread: takes the most urgent frame, preprocesses it into buffers it reuses,
 * runs the active model and hands the probability to the publisher.
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
    private float[] tensor = new float[0];
    private FloatBuffer input = FloatBuffer.allocate(0);
    private FloatBuffer output = FloatBuffer.allocate(0);
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
                publisher.failSafe(job, Outcome.INFERENCE_FAILED, nanoClock.getAsLong(), models.active());
                LOG.log(Level.ERROR, "inspection of " + job.frame + " failed unexpectedly", e);
            } finally {
                current = null;
            }
        }
    }

    private void inspect(Job job) {
        long taken = nanoClock.getAsLong();
        if (job.failSafeDue(taken)) {
            publisher.failSafe(job, Outcome.DEADLINE_MISSED, taken, models.active());
            return;
        }
        // A model switched out between our look and our call is closed: retry once on its successor.
        for (int attempt = 0; attempt < 2; attempt++) {
            ActiveModel model = models.active();
            if (model == null) {
                publisher.failSafe(job, Outcome.NO_MODEL, taken);
                return;
            }
            int length = model.preprocessor().outputLength();
            ensureCapacity(length, model.outputLength());
            model.preprocessor().run(job.frame, tensor, 0);
            input.clear();
            input.put(tensor, 0, length).flip();
            output.clear();
            long preprocessed = nanoClock.getAsLong();
            try {
                model.model().infer(1, input, output);
            } catch (InferenceException e) {
                if (e.code() == ErrorCode.CLOSED && models.active() != model) {
                    continue;
                }
                publisher.failSafe(job, Outcome.INFERENCE_FAILED, nanoClock.getAsLong(), model);
                logFailure(model, e);
                models.inferenceFailed(model, e);
                return;
            }
            long inferred = nanoClock.getAsLong();
            if (model.consecutiveFailures().get() != 0) {
                model.consecutiveFailures().set(0);
            }
            double p = output.get(model.descriptor().defectIndex());
            publisher.decided(job, model, p, taken, preprocessed, inferred);
            return;
        }
        publisher.failSafe(job, Outcome.INFERENCE_FAILED, nanoClock.getAsLong(), models.active());
    }

    private void ensureCapacity(int inputLength, int outputLength) {
        if (tensor.length < inputLength) {
            tensor = new float[inputLength];
            input = ByteBuffer.allocateDirect(inputLength * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        if (output.capacity() < outputLength) {
            output = ByteBuffer.allocateDirect(outputLength * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
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
