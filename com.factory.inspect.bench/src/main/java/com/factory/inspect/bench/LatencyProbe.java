package com.factory.inspect.bench;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.decision.InspectionListener;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.Outcome;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Records every result's capture-to-decision latency while armed. */
final class LatencyProbe implements InspectionListener {
    private final Recorder latencyMicros = new Recorder(60_000_000L, 3);
    private final LongAdder frames = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failSafe = new LongAdder();
    private final java.util.Map<String, LongAdder> perCamera = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean armed;
    private volatile Frame lastFrame;

    /** What one measurement saw. */
    record Window(long frames, long missed, long dropped, long failSafe, Histogram latencyMicros) {
        double p50Ms() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Ms() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }

    @Override
    public void inspected(InspectionResult result, Frame frame) {
        lastFrame = frame;
        perCamera.computeIfAbsent(result.cameraId(), c -> new LongAdder()).increment();
        if (!armed) {
            return;
        }
        frames.increment();
        latencyMicros.recordValue(Math.min(60_000_000L, result.latency().totalNanos() / 1000));
        if (result.outcome() == Outcome.DEADLINE_MISSED) {
            missed.increment();
        } else if (result.outcome() == Outcome.DROPPED) {
            dropped.increment();
        }
        if (result.failSafeApplied()) {
            failSafe.increment();
        }
    }

    /** Results for {@code cameraId} since the probe was registered, armed or not. */
    long resultsOf(String cameraId) {
        LongAdder a = perCamera.get(cameraId);
        return a == null ? 0 : a.sum();
    }

    Frame lastFrame() {
        return lastFrame;
    }

    void arm() {
        frames.reset();
        missed.reset();
        dropped.reset();
        failSafe.reset();
        latencyMicros.getIntervalHistogram();
        armed = true;
    }

    Window disarm() {
        armed = false;
        return new Window(frames.sum(), missed.sum(), dropped.sum(), failSafe.sum(),
                latencyMicros.getIntervalHistogram());
    }
}
