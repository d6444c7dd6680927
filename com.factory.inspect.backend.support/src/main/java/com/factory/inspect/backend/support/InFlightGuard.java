package com.factory.inspect.backend.support;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reference counting for a native handle shared by many threads: every use is bracketed by
 * {@link #enter()} and {@link #exit()}, and {@link #closeAndAwait(Runnable)} refuses new uses, waits
 * for those in flight to finish and then releases the handle exactly once.
 *
 * <pre>{@code
 * if (!guard.enter()) throw new InferenceException(ErrorCode.CLOSED, ...);
 * try { session.run(...); } finally { guard.exit(); }
 * }</pre>
 *
 * <p>{@code enter} and {@code exit} are one atomic add each: lock-free and allocation-free. The state
 * is a single {@code long} whose sign bit means "closed" and whose other bits count the uses in
 * flight, so a use can never slip in between the check for "closed" and the count (which a
 * {@code LongAdder} plus a flag could not guarantee). The thread that brings the count of a closed
 * guard to zero opens a latch the closer waits on.
 *
 * <p>A thread must not call {@code closeAndAwait} between its own {@code enter} and {@code exit}: it
 * would wait for itself forever.
 */
public final class InFlightGuard {
    private static final Logger LOG = System.getLogger(InFlightGuard.class.getName());
    private static final long CLOSED = Long.MIN_VALUE;
    private static final long COUNT = Long.MAX_VALUE;
    private static final Duration DEFAULT_WARN_AFTER = Duration.ofSeconds(5);

    private final String name;
    private final long warnAfterNanos;
    private final AtomicLong state = new AtomicLong();
    private final CountDownLatch drained = new CountDownLatch(1);
    private final AtomicBoolean releaseClaimed = new AtomicBoolean();
    private final CountDownLatch released = new CountDownLatch(1);

    /**
     * @param name what is guarded, for log messages (e.g. {@code model surface:1.0.0})
     */
    public InFlightGuard(String name) {
        this(name, DEFAULT_WARN_AFTER);
    }

    /**
     * @param name what is guarded, for log messages
     * @param warnAfter how long {@link #closeAndAwait} waits before it logs that uses are still in
     *        flight (it goes on waiting)
     */
    public InFlightGuard(String name, Duration warnAfter) {
        this.name = Objects.requireNonNull(name, "name");
        this.warnAfterNanos = warnAfter.toNanos();
    }

    /**
     * Starts a use. Every {@code true} must be followed by exactly one {@link #exit()}, in a
     * {@code finally} block.
     *
     * @return {@code true} if the use may proceed, {@code false} once closing has started
     */
    public boolean enter() {
        if (state.getAndIncrement() < 0) {
            exit(); // undo: closing has started; may be the one that completes the drain
            return false;
        }
        return true;
    }

    /**
     * Ends a use started by a successful {@link #enter()}.
     *
     * @throws IllegalStateException if there is no use to end
     */
    public void exit() {
        long now = state.decrementAndGet();
        if (now == CLOSED) {
            drained.countDown();
        } else if ((now & COUNT) == COUNT) {
            state.incrementAndGet();
            throw new IllegalStateException("exit() without enter() on " + name);
        }
    }

    /** Whether closing has started. */
    public boolean isClosed() {
        return state.get() < 0;
    }

    /** Number of uses in flight now (including refused entries being undone). */
    public long inFlight() {
        return state.get() & COUNT;
    }

    /**
     * Refuses new uses, waits until the uses in flight have ended and then runs {@code release}, once
     * over all calls. Waits without a bound (a native handle must not be freed under a running use),
     * logging a warning when that takes longer than the warning delay. Idempotent: later and
     * concurrent calls wait until the first caller's release has finished and do not run theirs. An
     * interrupt does not cut the wait short; the thread's interrupt status is kept.
     *
     * @param release frees the guarded handle; if it throws, the exception reaches the caller that
     *        ran it, and the guard still counts as released
     */
    public void closeAndAwait(Runnable release) {
        Objects.requireNonNull(release, "release");
        long before = state.getAndUpdate(s -> s | CLOSED);
        if (before == 0) {
            drained.countDown(); // nothing in flight: no exit() will see the count reach zero
        }
        awaitDrained();
        if (releaseClaimed.compareAndSet(false, true)) {
            try {
                release.run();
            } finally {
                released.countDown();
            }
        } else {
            awaitUninterruptibly(released, Long.MAX_VALUE);
        }
    }

    private void awaitDrained() {
        long start = System.nanoTime();
        if (awaitUninterruptibly(drained, warnAfterNanos)) {
            return;
        }
        LOG.log(Level.WARNING, "Closing {0}: still {1} use(s) in flight after {2} ms; waiting for them",
                name, inFlight(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        awaitUninterruptibly(drained, Long.MAX_VALUE);
        LOG.log(Level.INFO, "Closing {0}: uses in flight ended after {1} ms", name,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Waits up to {@code nanos} for {@code latch}, keeping but not acting on interrupts. */
    private static boolean awaitUninterruptibly(CountDownLatch latch, long nanos) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + nanos;
        try {
            while (true) {
                try {
                    long left = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    return latch.await(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "InFlightGuard[" + name + (isClosed() ? ", closed, " : ", open, ") + inFlight() + " in flight]";
    }
}
