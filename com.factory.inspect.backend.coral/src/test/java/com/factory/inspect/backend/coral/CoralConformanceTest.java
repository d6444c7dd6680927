package com.factory.inspect.backend.coral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.factory.inspect.conformance.ConformanceReport;
import com.factory.inspect.conformance.ConformanceSuite;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backend conformance suite on TensorFlow Lite's CPU backend, and the Edge TPU one where none is. */
class CoralConformanceTest {

    @Test
    void tfliteCpuPassesTheConformanceSuite() {
        TfLiteCpuBackend backend = new TfLiteCpuBackend();
        backend.activate(TestConfigs.cpu(Map.of()));
        try {
            ConformanceReport report = ConformanceSuite.run(backend, "fp32");
            assertTrue(report.passed(), report.format());
            assertEquals("twin:1.0.0 (tflite)", report.model(), report.format());
        } finally {
            backend.deactivate();
        }
    }

    @Test
    void edgeTpuIsSkippedWithTheReasonWhereThereIsNone() {
        EdgeTpuBackend backend = new EdgeTpuBackend();
        backend.activate(TestConfigs.edgeTpu(Map.of()));
        try {
            ConformanceReport report = ConformanceSuite.run(backend, "int8");
            // The suite's twin is not compiled for the Edge TPU (edgetpu_compiler is not reachable
            // from this build), so on a box with a Coral this check says nothing.
            assumeFalse(backend.availability().available(), "an Edge TPU is present here");
            assertEquals("SKIPPED", report.verdict(), report.format());
            assertTrue(report.availability().contains("libedgetpu.so.1"), report.availability());
        } finally {
            backend.deactivate();
        }
    }
}
