package com.factory.inspect.gate.stats;

import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.LatencyBreakdown;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.decision.Verdict;
import com.factory.inspect.api.gate.StageLatency;
import com.factory.inspect.api.gate.Statistics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Counters and per-stage latency histograms of the gate, resettable. */
public final class GateStatistics {
    private final Clock clock;
    private final LongAdder inspected = new LongAdder();
    private final LongAdder passed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder failSafe = new LongAdder();
    private final LongAdder modelDefects = new LongAdder();
    private final LongAdder lifetimeInspected = new LongAdder();
    private final StageRecorder queue = new StageRecorder("queue");
    private final StageRecorder preprocess = new StageRecorder("preprocess");
    private final StageRecorder infer = new StageRecorder("infer");
    private final StageRecorder decide = new StageRecorder("decide");
    private final StageRecorder total = new StageRecorder("total");
    private volatile Instant since;

    public GateStatistics(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Counts one result. Model-decided results feed every stage histogram; fail-safes only the total. */
    public void record(InspectionResult result) {
        inspected.increment();
        lifetimeInspected.increment();
        (result.verdict() == Verdict.PASS ? passed : failed).increment();
        LatencyBreakdown latency = result.latency();
        total.record(latency.totalNanos());
        if (result.outcome() == Outcome.DECIDED) {
            queue.record(latency.queueNanos());
            preprocess.record(latency.preprocessNanos());
            infer.record(latency.inferNanos());
            decide.record(latency.decideNanos());
            if (Verdict.of(result.defectProbability(), result.threshold()) == Verdict.FAIL) {
                modelDefects.increment();
            }
            return;
        }
        failSafe.increment();
        if (result.outcome() == Outcome.DROPPED) {
            dropped.increment();
        } else if (result.outcome() == Outcome.DEADLINE_MISSED) {
            missed.increment();
        }
    }

    /** Results since the gate started, never reset (for rates). */
    public long lifetimeInspected() {
        return lifetimeInspected.sum();
    }

    public Statistics snapshot() {
        return new Statistics(since, inspected.sum(), passed.sum(), failed.sum(), dropped.sum(), missed.sum(),
                failSafe.sum(), modelDefects.sum(), List.<StageLatency>of(queue.snapshot(), preprocess.snapshot(),
                        infer.snapshot(), decide.snapshot(), total.snapshot()));
    }

    /** Starts counting afresh (results being recorded right now may land on either side). */
    public void reset() {
        since = clock.instant();
        for (LongAdder a : List.of(inspected, passed, failed, dropped, missed, failSafe, modelDefects)) {
            a.reset();
        }
        for (StageRecorder r : List.of(queue, preprocess, infer, decide, total)) {
            r.reset();
        }
    }
}
