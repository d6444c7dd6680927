package com.factory.inspect.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.decision.Verdict;
import com.factory.inspect.api.gate.InspectionService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import com.factory.inspect.api.model.ModelSource;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** Configuration changes apply to the running line, without a restart and without losing frames. */
@ExtendWith(ServiceExtension.class)
class LiveConfigurationIT {

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurationAdmin;

    @InjectService(timeout = 30_000)
    InspectionService gate;

    @InjectService(timeout = 30_000, filter = "(inspect.model.name=surface-demo)")
    ModelSource demo;

    @Test
    void thresholdAndFrameRateChangesApplyLive() throws Exception {
        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0));
            line.awaitModelActive();
            Configuration camera = line.syntheticCamera("it-live", 5, 0.2, 7);
            Line.await(() -> line.count("it-live") >= 5, 15_000, () -> "no results yet");
            double modelThreshold = line.resultsOf("it-live").get(0).threshold();
            assertEquals(demo.descriptor().threshold(), modelThreshold, 1e-9, "the demo model's own threshold by default");

            // Threshold 0: every decided part fails. The change applies from one frame to the next.
            line.configureGate(Map.of("threshold", 0.0));
            Line.await(() -> lastDecided(line).threshold() == 0.0, 10_000, () -> "threshold 0 not applied");
            long mark = line.count("it-live");
            Line.await(() -> line.count("it-live") >= mark + 5, 10_000, () -> "line stopped");
            List<InspectionResult> after = line.resultsOf("it-live").subList((int) mark, (int) line.count("it-live"));
            for (InspectionResult r : after) {
                if (r.outcome() == Outcome.DECIDED) {
                    assertEquals(0.0, r.threshold(), r.toString());
                    assertEquals(Verdict.FAIL, r.verdict(), r.toString());
                }
            }

            // Frame rate 5 -> 25 fps: the camera speeds up without a restart; sequences carry on.
            long before = line.count("it-live");
            long lastSequence = lastDecided(line).sequence();
            camera.update(new java.util.Hashtable<>(Map.of("camera.id", "it-live", "fps", 25.0, "defect.rate", 0.2,
                    "seed", 7)));
            Thread.sleep(500); // let the new rate take hold
            long start = line.count("it-live");
            Thread.sleep(2000);
            long inTwoSeconds = line.count("it-live") - start;
            assertTrue(inTwoSeconds >= 35, "expected about 50 frames in 2 s at 25 fps, got " + inTwoSeconds);
            assertTrue(lastDecided(line).sequence() > lastSequence + 35, "the sequence carried on");
            List<InspectionResult> all = line.resultsOf("it-live");
            assertEquals(all.size(), all.stream().mapToLong(InspectionResult::sequence).distinct().count(),
                    "no frame twice across the changes");
            assertTrue(before > 0);
        }
    }

    private static InspectionResult lastDecided(Line line) {
        List<InspectionResult> r = line.resultsOf("it-live");
        for (int i = r.size() - 1; i >= 0; i--) {
            if (r.get(i).outcome() == Outcome.DECIDED) {
                return r.get(i);
            }
        }
        return r.get(r.size() - 1);
    }
}
