package com.factory.inspect.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.conformance.CheckResult;
import com.factory.inspect.conformance.ConformanceReport;
import com.factory.inspect.conformance.ConformanceSuite;
import com.factory.inspect.conformance.TwinModel;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backend conformance suite on ONNX Runtime CPU, and proof that the suite catches a bad backend. */
class OnnxRuntimeConformanceTest {

    private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend();

    @BeforeEach
    void activate() {
        backend.activate(TestConfigs.config(Map.of()));
    }

    @AfterEach
    void deactivate() {
        backend.deactivate();
    }

    @Test
    void passesTheConformanceSuite() {
        ConformanceReport report = ConformanceSuite.run(backend, "fp32");
        assertTrue(report.passed(), report.format());
        assertEquals("twin:1.0.0 (onnx)", report.model(), report.format());
        assertEquals(9, report.checks().size(), report.format());
    }

    /** Wraps the real backend and breaks one promise of the API at a time. */
    private InferenceBackend misbehaving(String fault) {
        return new InferenceBackend() {
            @Override
            public String id() {
                return backend.id();
            }

            @Override
            public int rank() {
                return backend.rank();
            }

            @Override
            public Availability availability() {
                return backend.availability();
            }

            @Override
            public Set<ModelFormat> acceptedFormats() {
                return backend.acceptedFormats();
            }

            @Override
            public LoadedModel load(ModelSource model) throws InferenceException {
                LoadedModel real = backend.load(model);
                return new LoadedModel() {
                    @Override
                    public ModelDescriptor descriptor() {
                        return real.descriptor();
                    }

                    @Override
                    public String backendId() {
                        return real.backendId();
                    }

                    @Override
                    public TensorSpec inputSpec() {
                        return real.inputSpec();
                    }

                    @Override
                    public TensorSpec outputSpec() {
                        return real.outputSpec();
                    }

                    @Override
                    public void infer(int batchSize, FloatBuffer input, FloatBuffer output) throws InferenceException {
                        if (fault.equals("first item only") && batchSize > 1) {
                            // Runs item 0 for every item: the kind of bug batching code has.
                            FloatBuffer one = input.duplicate();
                            for (int i = 0; i < batchSize; i++) {
                                real.infer(1, one.duplicate(), output);
                            }
                            return;
                        }
                        if (fault.equals("swallows batch 0") && batchSize == 0) {
                            return;
                        }
                        real.infer(batchSize, input, output);
                    }

                    @Override
                    public void close() {
                        if (!fault.equals("never closes")) {
                            real.close();
                        }
                    }
                };
            }
        };
    }

    @Test
    void catchesABackendThatBatchesWrongly() {
        ConformanceReport report = ConformanceSuite.run(misbehaving("first item only"), "fp32");
        assertFalse(report.passed());
        CheckResult batch = report.checks().stream().filter(c -> c.check().startsWith("batch")).findFirst().orElseThrow();
        assertFalse(batch.passed(), report.format());
        assertTrue(batch.detail().startsWith("batch 2 output 2:"), batch.detail());
    }

    @Test
    void catchesABackendThatAcceptsAnEmptyBatch() {
        ConformanceReport report = ConformanceSuite.run(misbehaving("swallows batch 0"), "fp32");
        CheckResult bad = report.checks().stream().filter(c -> c.check().equals("bad input")).findFirst().orElseThrow();
        assertFalse(bad.passed(), report.format());
        assertEquals("batch 0 was accepted", bad.detail());
    }

    @Test
    void catchesABackendThatKeepsRunningAfterClose() {
        ConformanceReport report = ConformanceSuite.run(misbehaving("never closes"), "fp32");
        CheckResult close = report.checks().stream().filter(c -> c.check().equals("close while in flight"))
                .findFirst().orElseThrow();
        assertFalse(close.passed(), report.format());
    }

    @Test
    void theOnnxTwinIsCarried() {
        assertTrue(TwinModel.carried(ModelFormat.ONNX).isPresent());
    }
}
