package com.factory.inspect.gate.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Hands queued frames to workers, earliest deadline first across all cameras. One permit per
 * queued frame: a worker that got a permit is guaranteed to find a frame.
 */
final class WorkQueue {
    private final Semaphore queued = new Semaphore(0);
    private final List<CameraIntake> intakes = new CopyOnWriteArrayList<>();

    void add(CameraIntake intake) {
        intakes.add(intake);
    }

    void remove(CameraIntake intake) {
        intakes.remove(intake);
    }

    List<CameraIntake> intakes() {
        return intakes;
    }

    /** A frame was queued. */
    void signal() {
        queued.release();
    }

    /** The queued frame with the earliest deadline, or null if none came within the timeout. */
    Job take(long timeoutMillis) throws InterruptedException {
        if (!queued.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        while (true) {
            CameraIntake best = null;
            long bestDeadline = Long.MAX_VALUE;
            for (CameraIntake intake : intakes) {
                long deadline = intake.headDeadline();
                if (deadline != Long.MAX_VALUE && (best == null || deadline - bestDeadline < 0)) {
                    best = intake;
                    bestDeadline = deadline;
                }
            }
            if (best == null) {
                // Every queue is empty: this permit was a spare one (see CameraIntake.accept).
                return null;
            }
            Job job = best.poll();
            if (job != null) {
                return job;
            }
            // Another worker took that frame between our look and our poll; ours is still queued.
        }
    }
}
