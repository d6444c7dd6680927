package com.factory.inspect.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.model.ModelSource;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** The technician's commands, run through Gogo as the shell runs them. */
@ExtendWith(ServiceExtension.class)
class ShellCommandsIT {

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurationAdmin;

    @InjectService(timeout = 30_000)
    InspectionService gate;

    @InjectService(timeout = 30_000)
    CommandProcessor shell;

    @InjectService(timeout = 30_000, filter = "(inspect.model.name=surface-demo)")
    ModelSource demo;

    private String run(String command) throws Exception {
        return Shell.run(shell, command);
    }

    @Test
    void commandsShowTheLineAndChangeTheThreshold() throws Exception {
        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0));
            line.awaitModelActive();
            line.syntheticCamera("it-shell", 10, 0.2, 3);
            Line.await(() -> line.count("it-shell") >= 10, 15_000, () -> "no results");

            String status = run("inspect:status");
            assertTrue(status.contains("surface-demo " + demo.descriptor().version()), status);
            assertTrue(status.contains("onnxruntime-cpu"), status);
            assertTrue(status.matches("(?s).*latency\\s+p50 \\d+\\.\\d+ ms, p99 .*"), status);

            String cameras = run("inspect:cameras");
            assertTrue(cameras.matches("(?s).*it-shell\\s+synthetic\\s+STREAMING\\s+10\\.0.*"), cameras);

            String backends = run("inspect:backends");
            assertTrue(backends.matches("(?s).*onnxruntime-cpu\\s+10\\s+onnx\\s+\\*\\s+available on CPU.*"), backends);

            assertTrue(run("inspect:threshold").contains(String.format(java.util.Locale.ROOT, "%.4f (the model's own",
                    demo.descriptor().threshold())), "model threshold shown");
            assertTrue(run("inspect:threshold 0.5").contains("threshold set to 0.5000"));
            Line.await(() -> gate.status().threshold() == 0.5, 10_000, () -> "threshold not applied");
            assertTrue(run("inspect:threshold").contains("0.5000 (configured)"));
            Exception bad = assertThrows(Exception.class, () -> run("inspect:threshold 1.5"));
            assertTrue(bad.getMessage().contains("within 0..1"), bad.getMessage());
            assertEquals(0.5, gate.status().threshold(), "a bad value changes nothing");

            String stats = run("inspect:stats");
            assertTrue(stats.contains("inspected="), stats);
            assertTrue(stats.matches("(?s).*infer\\s+\\d+\\.\\d+.*"), stats);
            run("inspect:stats reset");
            assertTrue(gate.statistics().inspected() < line.count("it-shell"), "counting afresh");
        }
    }
}
