package com.factory.inspect.backend.coral;

import static com.factory.inspect.backend.coral.TwinModels.BATCH_1;
import static com.factory.inspect.backend.coral.TwinModels.DYNAMIC;
import static com.factory.inspect.backend.coral.TwinModels.EDGETPU;
import static com.factory.inspect.backend.coral.TwinModels.FIXED;
import static com.factory.inspect.backend.coral.TwinModels.LABELS;
import static com.factory.inspect.backend.coral.TwinModels.TWIN;
import static com.factory.inspect.backend.coral.TwinModels.UINT8;
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
import com.factory.inspect.backend.coral.TwinModels.BytesModelSource;
import com.factory.inspect.backend.coral.TwinModels.ResourceModelSource;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tflite-cpu component, called directly (no OSGi): availability, loading, checks, configuration. */
class TfLiteCpuBackendTest {
    private final TfLiteCpuBackend backend = new TfLiteCpuBackend();

    TfLiteCpuBackendTest() {
        backend.activate(TestConfigs.cpu(Map.of()));
    }

    @AfterEach
    void deactivate() {
        backend.deactivate();
    }

    @Test
    void describesItselfRankingBelowOnnxRuntimeOnTheCpu() {
        assertEquals("tflite-cpu", backend.id());
        assertEquals(5, backend.rank());
        assertTrue(backend.rank() < 10, "below onnxruntime-cpu's default rank of 10");
        assertEquals(Set.of(ModelFormat.TFLITE), backend.acceptedFormats());
    }

    @Test
    void isAvailableOnThisCpuWithXnnpack() {
        Availability availability = backend.availability();
        assertTrue(availability.available(), availability::toString);
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals("CPU " + System.getProperty("os.arch") + ", XNNPACK, 1 thread(s) per inference, " + cores
                + " interpreter(s) per model, TensorFlow Lite " + TfLiteRuntime.get().version(), availability.device());
        assertTrue(TfLiteRuntime.get().version().startsWith("2.21."), TfLiteRuntime.get().version());
    }

    @Test
    void reportsANativeLibraryThatFailedToLoad() {
        TfLiteCpuBackend broken = new TfLiteCpuBackend(() -> TfLiteRuntime.failed(
                "TensorFlow Lite native library could not be loaded: UnsatisfiedLinkError: x"));
        broken.activate(CpuOptions.DEFAULTS);
        Availability availability = broken.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().contains("UnsatisfiedLinkError"), availability.reason());
        InferenceException e = assertThrows(InferenceException.class, () -> broken.load(TwinModels.source(TWIN)));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    }

    @Test
    void availabilityNeverThrows() {
        TfLiteCpuBackend broken = new TfLiteCpuBackend(() -> {
            throw new UnsatisfiedLinkError("no jnitensorflowlite in java.library.path");
        });
        Availability availability = broken.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().contains("no jnitensorflowlite"), availability.reason());
    }

    @Test
    void loadsTheTwinAndReportsItsTensorsAsTheModelDeclaresThem() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            assertEquals("tflite-cpu", model.backendId());
            assertEquals("twin", model.descriptor().name());
            assertEquals("image", model.inputSpec().name());
            assertEquals("float32", model.inputSpec().elementType());
            assertEquals(List.of(-1L, 32L, 32L, 1L), model.inputSpec().shape());
            assertEquals("probabilities", model.outputSpec().name());
            assertEquals("float32", model.outputSpec().elementType());
            assertEquals(List.of(-1L, 2L), model.outputSpec().shape());
            assertEquals(1024, model.inputSpec().elementsPerItem());
            assertEquals(2, model.outputSpec().elementsPerItem());
            assertEquals(Runtime.getRuntime().availableProcessors(), ((TfLiteLoadedModel) model).interpreters());
        }
    }

    @Test
    void reportsQuantisedTensorsByTheirType() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(UINT8))) {
            assertEquals("uint8", model.inputSpec().elementType());
            assertEquals("uint8", model.outputSpec().elementType());
            assertEquals(List.of(-1L, 32L, 32L, 1L), model.inputSpec().shape());
        }
    }

    @Test
    void rejectsAModelOfAnotherShapeNamingModelExpectedAndFound() {
        ModelSource source = TwinModels.source(TWIN, List.of(-1, 16, 16, 1));
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(source));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        String message = e.getMessage();
        assertTrue(message.contains("twin:1.0.0"), message);
        assertTrue(message.contains("test resource twin/twin.tflite"), message);
        assertTrue(message.contains("[-1, 16, 16, 1] (NHWC"), message);
        assertTrue(message.contains("'image' float32 [-1, 32, 32, 1]"), message);
    }

    @Test
    void rejectsAModelWithOtherLabels() {
        ModelSource source = new ResourceModelSource(TWIN,
                TwinModels.descriptor(TWIN, DYNAMIC, List.of("good", "scratch", "dent")));
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(source));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("[batch, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("'probabilities' float32 [-1, 2]"), e.getMessage());
    }

    @Test
    void aFixedBatchModelMustHaveTheDescriptorsBatch() throws Exception {
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(TwinModels.source(FIXED, DYNAMIC)));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("[1, 32, 32, 1]"), e.getMessage());
        try (LoadedModel model = backend.load(TwinModels.source(FIXED, BATCH_1))) {
            assertEquals(List.of(1L, 32L, 32L, 1L), model.inputSpec().shape());
        }
    }

    @Test
    void refusesAnEdgeTpuModelNamingTheModelTheOperatorAndTheBackendThatCanRunIt() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(TwinModels.source(EDGETPU)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code(), "not the model's fault: an Edge TPU may run it");
        String message = e.getMessage();
        assertTrue(message.contains("twin-edgetpu:1.0.0 (test resource twin/twin-edgetpu.tflite)"), message);
        assertTrue(message.contains("compiled for the Edge TPU"), message);
        assertTrue(message.contains("edgetpu-custom-op"), message);
        assertTrue(message.contains("backend edgetpu"), message);
    }

    @Test
    void rejectsCorruptBytesNamingTheModel() {
        byte[] truncated = Arrays.copyOf(TwinModels.bytes(TWIN), 300);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new BytesModelSource(truncated)));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("twin:1.0.0 (test bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("flatbuffer verification"), e.getMessage());

        byte[] onnx = TwinModels.bytes("twin.onnx"); // a real model, of the wrong format for its descriptor
        InferenceException wrong = assertThrows(InferenceException.class,
                () -> backend.load(new BytesModelSource(onnx)));
        assertEquals(ErrorCode.MODEL_INVALID, wrong.code());
    }

    @Test
    void propagatesAChecksumMismatchFromTheSource() {
        ModelDescriptor wrong = TwinModels.descriptor(TWIN, DYNAMIC, LABELS, "0".repeat(64), ModelFormat.TFLITE);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new ResourceModelSource(TWIN, wrong)));
        assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("0".repeat(64)), e.getMessage());
    }

    @Test
    void propagatesAnUnreadableModel() {
        ModelDescriptor d = TwinModels.descriptor(TWIN, DYNAMIC, LABELS);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new ResourceModelSource("missing.tflite", d)));
        assertEquals(ErrorCode.MODEL_UNREADABLE, e.code());
    }

    @Test
    void refusesOtherFormats() {
        ModelDescriptor onnx = TwinModels.descriptor("twin.onnx", DYNAMIC, LABELS, "a".repeat(64), ModelFormat.ONNX);
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new ResourceModelSource("twin.onnx", onnx)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
        assertTrue(e.getMessage().contains("accepts tflite"), e.getMessage());
    }

    @Test
    void deactivationClosesModelsLeftOpen() throws Exception {
        LoadedModel model = backend.load(TwinModels.source(TWIN));
        backend.deactivate();
        InferenceException e = assertThrows(InferenceException.class,
                () -> model.infer(1, FloatBuffer.allocate(1024), FloatBuffer.allocate(2)));
        assertEquals(ErrorCode.CLOSED, e.code());
        model.close(); // the owner's close is still fine
    }

    @Test
    void aStoppedBackendLoadsNothing() {
        backend.deactivate();
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(TwinModels.source(TWIN)));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    }

    @Test
    void anUnchangedConfigurationIsANoOpAndAChangedOneApplies() throws Exception {
        backend.activate(TestConfigs.cpu(Map.of("rank", 7)));
        CpuOptions before = backend.options();
        backend.modified(TestConfigs.cpu(Map.of("rank", "7")));
        assertSame(before, backend.options());
        assertEquals(7, backend.rank());

        backend.modified(TestConfigs.cpu(Map.of("threads", 2, "interpreters", 3)));
        assertEquals(new CpuOptions(5, 2, 3), backend.options());
        assertTrue(backend.availability().device().contains("2 thread(s) per inference, 3 interpreter(s)"),
                backend.availability().device());
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            assertEquals(3, ((TfLiteLoadedModel) model).interpreters());
        }
    }

    @Test
    void invalidValuesFallBackToTheirDefaults() {
        assertEquals(new CpuOptions(5, 1, 2), CpuOptions.from(TestConfigs.cpu(Map.of("rank", "high",
                "threads", 0, "interpreters", 2))));
        assertEquals(new CpuOptions(5, 3, 0), CpuOptions.from(TestConfigs.cpu(Map.of("threads", 3,
                "interpreters", -1))));
        assertEquals(CpuOptions.DEFAULTS, CpuOptions.from(TestConfigs.cpu(Map.of())));
    }
}
