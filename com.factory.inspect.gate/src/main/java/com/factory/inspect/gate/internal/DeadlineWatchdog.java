package com.factory.inspect.gate.internal;

import com.factory.inspect.api.decision.Outcome;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Makes sure no part leaves the gate undecided: every millisecond it looks for frames, queued or
 * being inferred, whose fail-safe instant has come, and lets the fail-safe decide them, so the
 * actuator still fires before the deadline even when the model is late.
 */
final class DeadlineWatchdog implements Runnable {
    private static final Logger LOG = System.getLogger(DeadlineWatchdog.class.getName());
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final WorkQueue work;
    private final Supplier<List<InspectionWorker>> workers;
    private final ModelManager models;
    private final ResultPublisher publisher;
    private final LongSupplier nanoClock;
    private volatile boolean running = true;

    DeadlineWatchdog(WorkQueue work, Supplier<List<InspectionWorker>> workers, ModelManager models,
            ResultPublisher publisher, LongSupplier nanoClock) {
        this.work = work;
        this.workers = workers;
        this.models = models;
        this.publisher = publisher;
        this.nanoClock = nanoClock;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Job> due = new ArrayList<>();
        while (running) {
            LockSupport.parkNanos(TICK_NANOS);
            try {
                sweep(due);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "deadline watchdog sweep failed", e);
            }
        }
    }

    /** One pass: applies the fail-safe to every frame that is due. */
    void sweep(List<Job> due) {
        long now = nanoClock.getAsLong();
        due.clear();
        for (CameraIntake intake : work.intakes()) {
            intake.collectDue(now, due);
        }
        for (InspectionWorker worker : workers.get()) {
            Job job = worker.current();
            if (job != null && job.failSafeDue(now) && !job.isClaimed()) {
                due.add(job);
            }
        }
        for (Job job : due) {
            publisher.failSafe(job, Outcome.DEADLINE_MISSED, models.active());
        }
    }
}
