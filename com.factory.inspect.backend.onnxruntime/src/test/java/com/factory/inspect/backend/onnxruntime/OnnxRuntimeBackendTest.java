package com.factory.inspect.backend.onnxruntime;

import static com.factory.inspect.backend.onnxruntime.TestModels.DYNAMIC_8X8;
import static com.factory.inspect.backend.onnxruntime.TestModels.LABELS;
import static com.factory.inspect.backend.onnxruntime.TestModels.TINY;
import static com.factory.inspect.backend.onnxruntime.TestModels.TINY_FIXED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.backend.onnxruntime.TestModels.BytesModelSource;
import com.factory.inspect.backend.onnxruntime.TestModels.ResourceModelSource;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The backend component, called directly (no OSGi): availability, loading, checks, configuration. */
class OnnxRuntimeBackendTest {
    private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend();

    OnnxRuntimeBackendTest() {
        backend.activate(TestConfigs.config(Map.of()));
    }

    @AfterEach
    void deactivate() {
        backend.deactivate();
    }

    @Test
    void describesItself() {
        assertEquals("onnxruntime-cpu", backend.id());
        assertEquals(10, backend.rank());
        assertEquals(Set.of(ModelFormat.ONNX), backend.acceptedFormats());
    }

    @Test
    void isAvailableOnThisCpu() {
        Availability availability = backend.availability();
        assertTrue(availability.available(), availability::toString);
        assertEquals("CPU " + System.getProperty("os.arch") + ", 1 intra-op threads, ONNX Runtime "
                + OrtRuntime.get().version(), availability.device());
        assertTrue(OrtRuntime.get().version().matches("\\d+\\.\\d+\\.\\d+.*"), OrtRuntime.get().version());
    }

    @Test
    void reportsANativeLibraryThatFailedToLoad() {
        OnnxRuntimeBackend broken = new OnnxRuntimeBackend(
                () -> OrtRuntime.failed("ONNX Runtime native library could not be loaded: UnsatisfiedLinkError: x"));
        broken.activate(BackendOptions.DEFAULTS);
        Availability availability = broken.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().contains("UnsatisfiedLinkError"), availability.reason());
        InferenceException e = assertThrows(InferenceException.class, () -> broken.load(TestModels.source(TINY)));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    }

    @Test
    void availabilityNeverThrows() {
        OnnxRuntimeBackend broken = new OnnxRuntimeBackend(() -> {
            throw new UnsatisfiedLinkError("no onnxruntime in java.library.path");
        });
        Availability availability = broken.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().contains("no onnxruntime"), availability.reason());
    }

    @Test
    void loadsAModelAndReportsItsTensors() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            assertEquals("onnxruntime-cpu", model.backendId());
            assertEquals("tiny-classifier", model.descriptor().name());
            assertEquals("image", model.inputSpec().name());
            assertEquals("float32", model.inputSpec().elementType());
            assertEquals(List.of(-1L, 1L, 8L, 8L), model.inputSpec().shape());
            assertEquals("probabilities", model.outputSpec().name());
            assertEquals(List.of(-1L, 2L), model.outputSpec().shape());
            assertEquals(64, model.inputSpec().elementsPerItem());
            assertEquals(2, model.outputSpec().elementsPerItem());
        }
    }

    @Test
    void rejectsAModelOfAnotherShapeNamingModelExpectedAndFound() {
        ModelSource source = TestModels.source(TINY, List.of(-1, 1, 16, 16));
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(source));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        String message = e.getMessage();
        assertTrue(message.contains("tiny-classifier:1.0.0"), message);
        assertTrue(message.contains("test resource tiny-classifier.onnx"), message);
        assertTrue(message.contains("[-1, 1, 16, 16]"), message);
        assertTrue(message.contains("'image' float32 [-1, 1, 8, 8]"), message);
    }

    @Test
    void rejectsAModelWithOtherLabels() {
        ModelSource source = new ResourceModelSource(TINY,
                TestModels.descriptor(TINY, DYNAMIC_8X8, List.of("good", "scratch", "dent")));
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(source));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("[batch, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("'probabilities' float32 [-1, 2]"), e.getMessage());
    }

    @Test
    void aFixedBatchModelMustHaveTheDescriptorsBatch() throws Exception {
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(TestModels.source(TINY_FIXED, DYNAMIC_8X8)));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("[1, 1, 8, 8]"), e.getMessage());
        try (LoadedModel model = backend.load(TestModels.source(TINY_FIXED, List.of(1, 1, 8, 8)))) {
            assertEquals(List.of(1L, 1L, 8L, 8L), model.inputSpec().shape());
        }
    }

    @Test
    void rejectsCorruptBytesNamingTheModel() {
        byte[] corrupt = Arrays.copyOf(TestModels.bytes(TINY), 100);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new BytesModelSource(corrupt)));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("tiny-classifier:1.0.0 (test bytes)"), e.getMessage());
    }

    @Test
    void propagatesAChecksumMismatchFromTheSource() {
        ModelDescriptor wrong = TestModels.descriptor(TINY, DYNAMIC_8X8, LABELS, "0".repeat(64), ModelFormat.ONNX);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new ResourceModelSource(TINY, wrong)));
        assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("0".repeat(64)), e.getMessage());
    }

    @Test
    void propagatesAnUnreadableModel() {
        ModelDescriptor d = TestModels.descriptor(TINY, DYNAMIC_8X8, LABELS);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new ResourceModelSource("missing.onnx", d)));
        assertEquals(ErrorCode.MODEL_UNREADABLE, e.code());
    }

    @Test
    void refusesOtherFormats() {
        ModelDescriptor tflite = TestModels.descriptor(TINY, DYNAMIC_8X8, LABELS, "a".repeat(64),
                ModelFormat.TFLITE);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new ResourceModelSource(TINY, tflite)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void deactivationClosesModelsLeftOpen() throws Exception {
        LoadedModel model = backend.load(TestModels.source(TINY));
        backend.deactivate();
        InferenceException e = assertThrows(InferenceException.class,
                () -> model.infer(1, FloatBuffer.allocate(64), FloatBuffer.allocate(2)));
        assertEquals(ErrorCode.CLOSED, e.code());
        model.close(); // the owner's close is still fine
    }

    @Test
    void anUnchangedConfigurationIsANoOpAndAChangedOneApplies() {
        backend.activate(TestConfigs.config(Map.of("rank", 5)));
        BackendOptions before = backend.options();
        backend.modified(TestConfigs.config(Map.of("rank", "5")));
        assertSame(before, backend.options());
        assertEquals(5, backend.rank());

        backend.modified(TestConfigs.config(Map.of("rank", 5, "intra.op.threads", 2)));
        assertEquals(2, backend.options().intraOpThreads());
        assertTrue(backend.availability().device().contains("2 intra-op threads"));
    }

    @Test
    void invalidValuesFallBackToTheirDefaults() {
        BackendOptions options = BackendOptions.from(TestConfigs.config(Map.of("rank", "high",
                "intra.op.threads", -3, "inter.op.threads", 4, "optimization.level", "MAXIMUM",
                "execution.mode", "PARALLEL", "cpu.arena", false)));
        assertEquals(new BackendOptions(10, 1, 4, OnnxRuntimeBackend.OptimizationLevel.ALL,
                OnnxRuntimeBackend.ExecutionMode.PARALLEL, false), options);
        assertEquals(BackendOptions.DEFAULTS, BackendOptions.from(TestConfigs.config(Map.of())));
    }

    @ParameterizedTest
    @EnumSource(OnnxRuntimeBackend.OptimizationLevel.class)
    void loadsWithEveryOptimizationLevelAndExecutionMode(OnnxRuntimeBackend.OptimizationLevel level)
            throws Exception {
        for (OnnxRuntimeBackend.ExecutionMode mode : OnnxRuntimeBackend.ExecutionMode.values()) {
            backend.modified(TestConfigs.config(Map.of("optimization.level", level.name(),
                    "execution.mode", mode.name(), "intra.op.threads", 0, "inter.op.threads", 2)));
            try (LoadedModel model = backend.load(TestModels.source(TINY))) {
                float[] image = TestModels.images(1, 3);
                FloatBuffer out = FloatBuffer.allocate(2);
                model.infer(1, FloatBuffer.wrap(image), out);
                assertEquals(TestModels.expected(image, 0)[1], out.get(1), 1e-6f);
            }
        }
    }
}
