package com.factory.inspect.gate.stats;

import com.factory.inspect.api.gate.StageLatency;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency histogram of one stage: wait-free recording from any thread (HdrHistogram
 * {@link Recorder}), accumulated into a cumulative histogram when read.
 */
final class StageRecorder {
    // Microsecond resolution up to a minute, 3 significant digits: ~0.1 % error, small footprint.
    private static final long HIGHEST_MICROS = 60_000_000L;
    private static final int DIGITS = 3;

    private final String stage;
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, DIGITS);
    private final Histogram cumulative = new Histogram(HIGHEST_MICROS, DIGITS);
    private Histogram interval;

    StageRecorder(String stage) {
        this.stage = stage;
    }

    void record(long nanos) {
        long micros = Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1_000));
        recorder.recordValue(micros);
    }

    synchronized StageLatency snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        if (cumulative.getTotalCount() == 0) {
            return new StageLatency(stage, 0, 0, 0);
        }
        return new StageLatency(stage, cumulative.getValueAtPercentile(50) / 1000.0,
                cumulative.getValueAtPercentile(99) / 1000.0, cumulative.getMaxValue() / 1000.0);
    }

    synchronized void reset() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.reset();
    }
}
