package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.factory.inspect.backend.tensorrt.TensorRtBackend.PrecisionPolicy;
import com.factory.inspect.conformance.ConformanceReport;
import com.factory.inspect.conformance.ConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend conformance suite on TensorRT where an NVIDIA GPU with TensorRT is present (FP32
 * engines, so the suite's FP32 tolerance applies); elsewhere the suite must report it skipped with
 * the probe's reason.
 */
class TensorRtConformanceTest {

    @TempDir
    Path cache;

    private final TensorRtBackend backend = new TensorRtBackend();

    @AfterEach
    void stop() {
        backend.deactivate();
    }

    @Test
    void passesTheConformanceSuiteOnAGpu() {
        TrtRuntime rt = TrtRuntime.get();
        assumeTrue(rt.available(), () -> "needs TensorRT 10, CUDA 12, cuDNN 9 and an NVIDIA GPU: " + rt.failure());
        backend.activate(new BackendOptions(100, cache, PrecisionPolicy.FP32, 64L * 1024 * 1024, 0, 1, 8, 2));
        ConformanceReport report = ConformanceSuite.run(backend, "fp32");
        assertTrue(report.passed(), report.format());
    }

    @Test
    void isReportedSkippedWithTheReasonWithoutAGpu() {
        TrtRuntime rt = TrtRuntime.get();
        assumeTrue(!rt.available(), "TensorRT and a GPU are present here");
        backend.activate(new BackendOptions(100, cache, PrecisionPolicy.FP32, 64L * 1024 * 1024, 0, 1, 8, 2));
        ConformanceReport report = ConformanceSuite.run(backend, "fp32");
        assertEquals("SKIPPED", report.verdict(), report.format());
        assertTrue(report.availability().contains("libnvinfer.so.10"), report.availability());
    }
}
