package com.factory.inspect.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConformanceReportTest {

    /** A backend that is there but cannot load anything: the suite must say FAILED, not crash. */
    record RefusingBackend(String id, Availability availability, Set<ModelFormat> acceptedFormats)
            implements InferenceBackend {
        @Override
        public int rank() {
            return 1;
        }

        @Override
        public LoadedModel load(ModelSource model) throws InferenceException {
            throw new InferenceException(ErrorCode.INFERENCE_FAILED, "cannot load " + model.origin());
        }
    }

    @Test
    void unavailableBackendIsSkippedWithItsReason() {
        ConformanceReport r = ConformanceSuite.run(new RefusingBackend("tensorrt",
                Availability.unavailable("libnvinfer.so.10 not found"), Set.of(ModelFormat.ONNX)), "fp16");
        assertEquals("SKIPPED", r.verdict());
        assertFalse(r.passed());
        assertTrue(r.format().contains("unavailable: libnvinfer.so.10 not found"), r.format());
    }

    @Test
    void backendWithoutATwinInItsFormatsIsSkipped() {
        ConformanceReport r = ConformanceSuite.run(new RefusingBackend("vendor",
                Availability.available("NPU"), Set.of(new ModelFormat("vendor-blob"))), null);
        assertEquals("SKIPPED", r.verdict());
        assertTrue(r.availability().contains("no conformance twin"), r.availability());
    }

    @Test
    void backendThatCannotLoadFailsTheLoadCheck() {
        ConformanceReport r = ConformanceSuite.run(new RefusingBackend("broken", Availability.available("CPU"),
                Set.of(ModelFormat.ONNX)), "fp32");
        assertEquals("FAILED", r.verdict());
        assertEquals("load", r.checks().get(0).check());
        assertTrue(r.checks().get(0).detail().startsWith("INFERENCE_FAILED: cannot load twin model"),
                r.checks().get(0).detail());
    }

    @Test
    void selfTestSummarisesEveryBackend() {
        Map<InferenceBackend, Map<String, Object>> backends = new LinkedHashMap<>();
        backends.put(new RefusingBackend("broken", Availability.available("CPU"), Set.of(ModelFormat.ONNX)), Map.of());
        backends.put(new RefusingBackend("openvino", Availability.unavailable("libopenvino_c.so not found"),
                Set.of(ModelFormat.ONNX)), Map.of());
        List<ConformanceReport> reports = SelfTest.run(backends);
        String text = SelfTest.format(reports);
        assertTrue(text.endsWith("selftest: passed none; failed broken; skipped openvino\n"), text);
        assertFalse(SelfTest.passed(reports));
    }

    @Test
    void tolerancesFollowPrecision() {
        assertEquals(1e-4, ConformanceSuite.tolerance(null));
        assertEquals(1e-4, ConformanceSuite.tolerance("FP32"));
        assertEquals(1e-2, ConformanceSuite.tolerance("fp16"));
        assertEquals(5e-2, ConformanceSuite.tolerance("int8"));
    }

    @Test
    void carriedTwinsShareOneReference() {
        List<TwinModel> twins = TwinModel.carried();
        assertEquals(Set.of(ModelFormat.ONNX, ModelFormat.TFLITE),
                Set.copyOf(twins.stream().map(t -> t.descriptor().format()).toList()));
        for (TwinModel t : twins) {
            assertTrue(t.inputs().size() >= 4, "enough references for batch 1..4");
            assertEquals(t.descriptor().inputShape().stream().skip(1).reduce(1, (a, b) -> a * b), t.inputLength());
            assertEquals(2, t.outputLength());
            for (float[] out : t.outputs()) {
                assertEquals(1.0, out[0] + out[1], 1e-5, "softmax outputs sum to one");
            }
        }
    }
}
