package com.factory.inspect.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.inference.InferenceBackend;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Every backend bundle installed, as on a gateway that ships them all: those whose hardware or
 * runtime is missing here (Edge TPU, OpenVINO) start, say why they are unavailable, and the line runs
 * on what is there; the conformance suite certifies the available ones from the shell.
 */
@ExtendWith(ServiceExtension.class)
class BackendsIT {

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurationAdmin;

    @InjectService(timeout = 30_000)
    InspectionService gate;

    @InjectService(timeout = 30_000)
    CommandProcessor shell;

    private String run(String command) throws Exception {
        return Shell.run(shell, command);
    }

    private static Map<String, InferenceBackend> backends() {
        try {
            return FrameworkBundles.context().getServiceReferences(InferenceBackend.class, null).stream()
                    .map(r -> FrameworkBundles.context().getService(r))
                    .collect(Collectors.toMap(InferenceBackend::id, b -> b));
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingHardwareIsReportedAndTheLineRunsOnWhatIsThere() throws Exception {
        for (String name : List.of("com.factory.inspect.backend.coral", "com.factory.inspect.lib.tensorflowlite",
                "com.factory.inspect.backend.openvino", "com.factory.inspect.lib.openvino",
                "com.factory.inspect.backend.tensorrt", "com.factory.inspect.lib.tensorrt")) {
            assertEquals(Bundle.ACTIVE, FrameworkBundles.bySymbolicName(name).getState(), name + " is active");
        }
        Line.await(() -> backends().keySet().containsAll(List.of("onnxruntime-cpu", "tflite-cpu", "edgetpu",
                "openvino", "tensorrt")), 15_000, () -> "backends registered: " + backends().keySet());
        Map<String, InferenceBackend> backends = backends();
        assertTrue(backends.get("tflite-cpu").availability().available(), backends.get("tflite-cpu").availability()
                .toString());
        assertFalse(backends.get("edgetpu").availability().available());
        assertTrue(backends.get("edgetpu").availability().reason().contains("libedgetpu.so.1 not found"),
                backends.get("edgetpu").availability().reason());
        assertFalse(backends.get("tensorrt").availability().available());
        assertTrue(backends.get("tensorrt").availability().reason().contains("libnvinfer.so.10"),
                backends.get("tensorrt").availability().reason());
        assertFalse(backends.get("openvino").availability().available());
        assertTrue(backends.get("openvino").availability().reason().contains("libopenvino_c.so not found"),
                backends.get("openvino").availability().reason());

        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0));
            line.awaitModelActive();
            line.syntheticCamera("it-backends", 10, 0.2, 5);
            Line.await(() -> line.count("it-backends") >= 10, 15_000, () -> "no results");
            // TensorRT and OpenVINO rank above ONNX Runtime and take ONNX: unavailable, so the gate fell back.
            assertEquals("onnxruntime-cpu", gate.status().backendId());
            line.resultsOf("it-backends").stream().filter(r -> r.outcome() == Outcome.DECIDED)
                    .forEach(r -> assertEquals("onnxruntime-cpu", r.backendId(), r.toString()));

            String backendsShown = run("inspect:backends");
            assertTrue(backendsShown.contains("unavailable: libopenvino_c.so not found"), backendsShown);
            assertTrue(backendsShown.contains("unavailable: libedgetpu.so.1 not found"), backendsShown);

            String selftest = run("inspect:selftest");
            assertTrue(selftest.contains("selftest: passed onnxruntime-cpu, tflite-cpu; failed none; "
                    + "skipped tensorrt, edgetpu, openvino"), selftest);
        }
    }
}
