package com.factory.inspect.gate.internal;

import com.factory.inspect.api.camera.Frame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One frame on its way through the gate. Exactly one party — a worker with a decision, the
 * watchdog at the fail-safe instant, or the intake dropping it — {@linkplain #claim() claims} it
 * and produces its one result.
 */
final class Job {
    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(Job.class, "claimed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Frame frame;
    final CameraIntake intake;
    /** When the gate received the frame. */
    final long arrivalNanos;
    /** After this instant the part has left the reject gate. */
    final long deadlineNanos;
    /** From this instant on the fail-safe decides, so the actuator still fires before the deadline. */
    final long failSafeAtNanos;
    @SuppressWarnings("unused") // accessed through CLAIMED
    private volatile boolean claimed;

    Job(Frame frame, CameraIntake intake, long arrivalNanos, long deadlineNanos, long failSafeAtNanos) {
        this.frame = frame;
        this.intake = intake;
        this.arrivalNanos = arrivalNanos;
        this.deadlineNanos = deadlineNanos;
        this.failSafeAtNanos = failSafeAtNanos;
    }

    /** True for the one caller that gets to produce this frame's result. */
    boolean claim() {
        return CLAIMED.compareAndSet(this, false, true);
    }

    boolean isClaimed() {
        return claimed;
    }

    boolean failSafeDue(long now) {
        return now - failSafeAtNanos >= 0;
    }
}
