package com.factory.inspect.camera.common;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import com.factory.inspect.api.camera.CameraHealth;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSink;
import com.factory.inspect.api.camera.FrameSource;

/**
 * The capture thread of one camera and the one sink that has it open.
 * <p>
 * While open, a named daemon thread ({@code camera-<id>}) asks the producer for a frame on a
 * fixed-rate schedule: deadlines are a fixed period apart, and deadlines missed because a capture took
 * too long are dropped rather than bunched, as a real camera drops frames. The rate can change while
 * streaming. Sequence numbers start at 0 for every opening and count delivered frames. A producer
 * that cannot deliver throws {@link CaptureFailedException}: the stream reports FAILED, tells the sink
 * once per failure episode, and asks again after the retry interval until it succeeds.
 */
public final class CaptureStream {
    private static final Logger LOG = System.getLogger(CaptureStream.class.getName());
    private static final long STOP_WAIT_MILLIS = 2_000;

    /** Captures one frame on the camera thread. */
    @FunctionalInterface
    public interface FrameProducer {
        /**
         * Captures the next frame.
         *
         * @param sequence the sequence number the frame must carry
         * @return the frame, or {@code null} if there is nothing to deliver this time
         * @throws CaptureFailedException if the camera cannot deliver for now
         */
        Frame produce(long sequence) throws CaptureFailedException;
    }

    private final FrameProducer producer;
    private final Object lock = new Object();
    private volatile String cameraId;
    private volatile long periodNanos;
    private volatile long retryNanos;
    private volatile Session session;
    private volatile long lastSessionFrames;

    public CaptureStream(String cameraId, double framesPerSecond, Duration retryInterval, FrameProducer producer) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.periodNanos = periodNanos(framesPerSecond);
        setRetryInterval(retryInterval);
    }

    /**
     * Starts capturing for {@code sink}.
     *
     * @throws IllegalStateException if another sink has the camera open
     */
    public FrameSource.Subscription open(FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        synchronized (lock) {
            if (session != null) {
                throw new IllegalStateException("camera " + cameraId + " is already open by another sink");
            }
            Session s = new Session(sink);
            String threadName = "camera-" + cameraId;
            s.executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, threadName);
                thread.setDaemon(true);
                s.thread = thread;
                return thread;
            });
            s.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            s.executor.setRemoveOnCancelPolicy(true);
            session = s;
            scheduleLocked(s, System.nanoTime());
            return () -> close(s);
        }
    }

    /** Closes the open subscription, if any (deactivation). */
    public void stop() {
        Session s = session;
        if (s != null) {
            close(s);
        }
    }

    /** Whether a sink has the camera open. */
    public boolean isOpen() {
        return session != null;
    }

    /** The camera id used in thread names, logs and {@code cameraFailed}. */
    public void setCameraId(String cameraId) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
    }

    /** How long to wait before asking a failed producer again. */
    public void setRetryInterval(Duration retryInterval) {
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("retry interval must be positive, was " + retryInterval);
        }
        this.retryNanos = retryInterval.toNanos();
    }

    /** Changes the rate; applies from the next frame without restarting the stream. */
    public void setFramesPerSecond(double framesPerSecond) {
        long period = periodNanos(framesPerSecond);
        synchronized (lock) {
            long old = periodNanos;
            periodNanos = period;
            Session s = session;
            long now = System.nanoTime();
            // A tick that is waiting is moved to the new grid; one that is running or due reads the
            // new period when it schedules its successor.
            if (s != null && s.active && !s.failed && s.deadline - now > 0) {
                s.generation++;
                scheduleLocked(s, Math.max(now, s.deadline - old + period));
            }
        }
    }

    /** IDLE (with the frames of the last opening), STREAMING, or FAILED with the reason. */
    public CameraHealth health() {
        Session s = session;
        if (s == null) {
            return new CameraHealth(CameraHealth.State.IDLE, lastSessionFrames, "");
        }
        if (s.failed) {
            return new CameraHealth(CameraHealth.State.FAILED, s.sequence, s.detail);
        }
        return new CameraHealth(CameraHealth.State.STREAMING, s.sequence, "");
    }

    private void tick(Session s, long generation) {
        long deadline;
        synchronized (lock) {
            if (!s.active || generation != s.generation) {
                return;
            }
            deadline = s.deadline;
        }
        long started = System.nanoTime();
        long next;
        try {
            Frame frame = producer.produce(s.sequence);
            if (s.failed) {
                s.failed = false;
                s.detail = "";
                LOG.log(Level.INFO, "camera {0} recovered", cameraId);
            }
            if (frame != null) {
                deliver(s, frame);
            }
            next = nextDeadline(deadline, started);
        } catch (CaptureFailedException e) {
            fail(s, e.getMessage());
            next = started + retryNanos;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "camera " + cameraId + " failed to capture a frame", e);
            next = nextDeadline(deadline, started);
        }
        synchronized (lock) {
            if (s.active && generation == s.generation) {
                scheduleLocked(s, next);
            }
        }
    }

    private void deliver(Session s, Frame frame) {
        s.sequence++;
        try {
            s.sink.accept(frame);
        } catch (RuntimeException e) {
            // Log the first failure and then every thousandth: a broken sink must not flood the log.
            if (s.sinkFailures++ % 1000 == 0) {
                LOG.log(Level.WARNING, "sink of camera " + cameraId + " failed on frame " + frame.sequence() + " ("
                        + s.sinkFailures + " failures so far)", e);
            }
        }
    }

    private void fail(Session s, String reason) {
        s.detail = reason;
        if (s.failed) {
            return;
        }
        s.failed = true;
        LOG.log(Level.WARNING, "camera {0} failed: {1} (retrying every {2} ms)", cameraId, reason,
                retryNanos / 1_000_000);
        try {
            s.sink.cameraFailed(cameraId, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sink of camera " + cameraId + " failed in cameraFailed", e);
        }
    }

    private long nextDeadline(long deadline, long now) {
        long period = periodNanos;
        long next = deadline + period;
        if (next - now < 0) {
            next += ((now - next) / period + 1) * period;
        }
        return next;
    }

    private void scheduleLocked(Session s, long deadline) {
        long generation = s.generation;
        s.deadline = deadline;
        s.executor.schedule(() -> tick(s, generation), deadline - System.nanoTime(), NANOSECONDS);
    }

    private void close(Session s) {
        synchronized (lock) {
            if (!s.active) {
                return;
            }
            s.active = false;
            lastSessionFrames = s.sequence;
            if (session == s) {
                session = null;
            }
        }
        s.executor.shutdown();
        if (Thread.currentThread() == s.thread) {
            return; // closed by the sink from the camera thread: it ends when this tick returns
        }
        try {
            if (!s.executor.awaitTermination(STOP_WAIT_MILLIS, MILLISECONDS)) {
                LOG.log(Level.WARNING, "camera {0}: capture thread did not stop within {1} ms, interrupting it",
                        cameraId, STOP_WAIT_MILLIS);
                s.executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static long periodNanos(double framesPerSecond) {
        if (!(framesPerSecond > 0) || !Double.isFinite(framesPerSecond)) {
            throw new IllegalArgumentException("frames per second must be positive, was " + framesPerSecond);
        }
        return Math.max(1L, Math.round(1e9 / framesPerSecond));
    }

    /** One opening: its sink, thread and counters. */
    private static final class Session {
        final FrameSink sink;
        ScheduledThreadPoolExecutor executor;
        volatile Thread thread;
        boolean active = true; // guarded by lock
        long generation; // guarded by lock
        long deadline; // guarded by lock
        volatile long sequence;
        volatile boolean failed;
        volatile String detail = "";
        long sinkFailures; // camera thread only

        Session(FrameSink sink) {
            this.sink = sink;
        }
    }
}
