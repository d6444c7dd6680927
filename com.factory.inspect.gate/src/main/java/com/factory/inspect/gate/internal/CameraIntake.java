package com.factory.inspect.gate.internal;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSink;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.decision.Verdict;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The gate's end of one camera: receives its frames on the camera's thread into a bounded queue
 * (a full queue drops its oldest frame, which still gets its fail-safe result) and keeps the
 * camera's counters.
 */
final class CameraIntake implements FrameSink {
    private static final Logger LOG = System.getLogger(CameraIntake.class.getName());
    private static final double RATE_SMOOTHING = 0.2;

    final String cameraId;
    final FrameSource source;
    private final Supplier<GateOptions> options;
    private final WorkQueue work;
    private final ResultPublisher publisher;
    private final LongSupplier nanoClock;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private FrameSource.Subscription subscription;

    final LongAdder frames = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder missed = new LongAdder();
    final LongAdder failed = new LongAdder();
    private volatile long lastArrivalNanos;
    private volatile double intervalNanos;
    private volatile String failure = "";
    private volatile boolean stalled;
    private volatile boolean retired;

    CameraIntake(FrameSource source, Supplier<GateOptions> options, WorkQueue work, ResultPublisher publisher,
            LongSupplier nanoClock) {
        this.cameraId = source.cameraId();
        this.source = source;
        this.options = options;
        this.work = work;
        this.publisher = publisher;
        this.nanoClock = nanoClock;
        this.lastArrivalNanos = nanoClock.getAsLong();
    }

    /** Starts the camera delivering to this intake. */
    void open() {
        subscription = source.open(this);
    }

    /** Stops the camera; queued frames still get their results. */
    void close() {
        retired = true;
        FrameSource.Subscription s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "camera " + cameraId + " failed to stop cleanly", e);
            }
        }
    }

    boolean isRetired() {
        return retired;
    }

    @Override
    public void accept(Frame frame) {
        long now = nanoClock.getAsLong();
        GateOptions o = options.get();
        long deadline = frame.captureNanos() + o.deadlineNanos();
        Job job = new Job(frame, this, now, deadline, deadline - o.failSafeMarginNanos());
        frames.increment();
        double interval = now - lastArrivalNanos;
        intervalNanos = intervalNanos == 0 ? interval : intervalNanos + RATE_SMOOTHING * (interval - intervalNanos);
        lastArrivalNanos = now;
        if (!failure.isEmpty()) {
            LOG.log(Level.INFO, "camera {0} delivers frames again", cameraId);
            failure = "";
        }
        List<Job> evicted = null;
        synchronized (queue) {
            while (queue.size() >= o.queueCapacity()) {
                if (evicted == null) {
                    evicted = new ArrayList<>(1);
                }
                evicted.add(queue.pollFirst());
            }
            queue.addLast(job);
        }
        if (evicted == null) {
            work.signal();
            return;
        }
        // One in, one out: the evicted frame's permit now stands for the new one. (After the capacity
        // shrank, several go out; their spare permits are used up by workers finding nothing.)
        for (Job old : evicted) {
            publisher.failSafe(old, Outcome.DROPPED);
        }
    }

    @Override
    public void cameraFailed(String id, String reason) {
        if (!reason.equals(failure)) {
            LOG.log(Level.ERROR, "camera {0} failed: {1} (the other cameras keep running)", cameraId, reason);
        }
        failure = reason;
    }

    /** The oldest queued frame, or null. */
    Job poll() {
        synchronized (queue) {
            return queue.pollFirst();
        }
    }

    /** Deadline of the oldest queued frame, {@link Long#MAX_VALUE} if none. */
    long headDeadline() {
        synchronized (queue) {
            Job head = queue.peekFirst();
            return head == null ? Long.MAX_VALUE : head.deadlineNanos;
        }
    }

    boolean isDrained() {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    /** Adds the queued frames whose fail-safe is due to {@code out}. */
    void collectDue(long now, List<Job> out) {
        synchronized (queue) {
            for (Job job : queue) {
                if (job.failSafeDue(now) && !job.isClaimed()) {
                    out.add(job);
                }
            }
        }
    }

    /** Counts a result of this camera. */
    void count(InspectionResult result) {
        if (result.outcome() == Outcome.DROPPED) {
            dropped.increment();
        } else if (result.outcome() == Outcome.DEADLINE_MISSED) {
            missed.increment();
        }
        if (result.verdict() == Verdict.FAIL) {
            failed.increment();
        }
    }

    void resetCounters() {
        frames.reset();
        dropped.reset();
        missed.reset();
        failed.reset();
    }

    /** Checks for a stall; returns true when the state changed. */
    boolean checkStall(long now, double configuredFps, double stallFactor) {
        double expectedNanos = configuredFps > 0 ? 1e9 / configuredFps : 1e9;
        long limit = (long) Math.max(1e9, expectedNanos * stallFactor);
        boolean nowStalled = !retired && now - lastArrivalNanos > limit;
        if (nowStalled != stalled) {
            stalled = nowStalled;
            if (nowStalled) {
                LOG.log(Level.WARNING, "camera {0} stalled: no frame for {1} ms (expected one every {2} ms){3}",
                        cameraId, (now - lastArrivalNanos) / 1_000_000, Math.round(expectedNanos / 1e6),
                        failure.isEmpty() ? "" : ": " + failure);
            } else {
                LOG.log(Level.INFO, "camera {0} resumed", cameraId);
            }
            return true;
        }
        return false;
    }

    String state() {
        if (retired) {
            return "IDLE";
        }
        if (!failure.isEmpty()) {
            return "FAILED";
        }
        return stalled ? "STALLED" : "STREAMING";
    }

    String detail() {
        if (!failure.isEmpty()) {
            return failure;
        }
        if (stalled) {
            return "no frame for " + (nanoClock.getAsLong() - lastArrivalNanos) / 1_000_000 + " ms";
        }
        return "";
    }

    double measuredFps() {
        double interval = intervalNanos;
        return stalled || interval <= 0 ? 0.0 : 1e9 / interval;
    }
}
