package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.factory.inspect.conformance.ConformanceReport;
import com.factory.inspect.conformance.ConformanceSuite;
import com.factory.inspect.lib.openvino.LibrarySearch;
import com.factory.inspect.lib.openvino.OpenVinoRuntime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backend conformance suite on OpenVINO's CPU device, where OpenVINO is installed (skipped with
 * the reason elsewhere); where it is not, the suite must report the backend skipped with that reason.
 */
class OpenVinoConformanceTest {
    private static final String LIBRARY = System.getProperty("openvino.library.path", "");

    private final OpenVinoBackend backend = new OpenVinoBackend();

    @AfterEach
    void deactivate() {
        backend.deactivate();
    }

    @Test
    void passesTheConformanceSuiteWhereOpenVinoIsInstalled() {
        OpenVinoRuntime.Probe probe = OpenVinoRuntime.probe(LibrarySearch.standard(LIBRARY));
        assumeTrue(probe.loaded(), () -> "OpenVINO is not installed here: " + probe.failure());
        backend.activate(TestConfigs.config(Map.of("library.path", LIBRARY, "device", "CPU")));
        ConformanceReport report = ConformanceSuite.run(backend, "fp32");
        assertTrue(report.passed(), report.format());
    }

    @Test
    void isReportedSkippedWithTheReasonWhereOpenVinoIsMissing() {
        OpenVinoRuntime.Probe probe = OpenVinoRuntime.probe(LibrarySearch.standard(LIBRARY));
        assumeTrue(!probe.loaded(), "OpenVINO is installed here");
        backend.activate(TestConfigs.config(Map.of("library.path", LIBRARY)));
        ConformanceReport report = ConformanceSuite.run(backend, "fp32");
        assertEquals("SKIPPED", report.verdict());
        assertTrue(report.availability().contains("libopenvino_c.so"), report.availability());
    }
}
