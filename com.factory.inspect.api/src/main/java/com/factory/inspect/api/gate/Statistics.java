package com.factory.inspect.api.gate;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Counters and latencies since {@link #since()} (start or last reset).
 *
 * @param since when counting started
 * @param inspected results produced (every frame gets exactly one)
 * @param passed results with verdict pass
 * @param failed results with verdict fail (model or fail-safe)
 * @param dropped frames dropped from full camera queues
 * @param missedDeadlines frames whose decision was not ready before the deadline
 * @param failSafe results decided by the fail-safe (dropped, missed, no model, inference failed)
 * @param modelDefects results the model itself judged defective
 * @param stages latency per stage; {@code total} is capture to decision
 */
public record Statistics(Instant since, long inspected, long passed, long failed, long dropped,
        long missedDeadlines, long failSafe, long modelDefects, List<StageLatency> stages) {

    public Statistics {
        Objects.requireNonNull(since, "since");
        stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
    }

    /** The latency of {@code stage}, or zeros if none was recorded. */
    public StageLatency stage(String stage) {
        return stages.stream().filter(s -> s.stage().equals(stage)).findFirst()
                .orElse(new StageLatency(stage, 0, 0, 0));
    }

    /** Share of model-decided frames the model judged defective (0 when none were decided). */
    public double defectRate() {
        long decided = inspected - failSafe;
        return decided == 0 ? 0.0 : (double) modelDefects / decided;
    }

    /**
     * The one-line summary the gateway prints:
     * {@code inspected=N passed=N failed=N dropped=N missed_deadlines=N p50_ms=X p99_ms=Y}.
     */
    public String summaryLine() {
        StageLatency total = stage("total");
        return String.format(Locale.ROOT,
                "inspected=%d passed=%d failed=%d dropped=%d missed_deadlines=%d p50_ms=%.2f p99_ms=%.2f",
                inspected, passed, failed, dropped, missedDeadlines, total.p50Ms(), total.p99Ms());
    }
}
