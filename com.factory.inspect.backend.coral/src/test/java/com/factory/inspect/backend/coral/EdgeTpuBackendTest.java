package com.factory.inspect.backend.coral;

import static com.factory.inspect.backend.coral.TwinModels.EDGETPU;
import static com.factory.inspect.backend.coral.TwinModels.TWIN;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The edgetpu component on this machine, which has neither libedgetpu nor an Edge TPU: it must say
 * so precisely, never throw, and refuse to load. Nothing here pretends a device exists.
 */
class EdgeTpuBackendTest {
    private final EdgeTpuBackend backend = new EdgeTpuBackend();

    EdgeTpuBackendTest() {
        backend.activate(TestConfigs.edgeTpu(Map.of()));
    }

    @AfterEach
    void deactivate() {
        backend.deactivate();
    }

    private static boolean edgeTpuHere() {
        return !EdgeTpuDevices.find(EdgeTpuDevices.DEV, EdgeTpuDevices.USB_DEVICES, "").isEmpty()
                && LibrarySearch.find("libedgetpu.so.1", LibrarySearch.folders()).isPresent();
    }

    @Test
    void describesItselfRankingAboveTheCpuBackends() {
        assertEquals("edgetpu", backend.id());
        assertEquals(30, backend.rank());
        assertTrue(backend.rank() > 10, "above onnxruntime-cpu (10) and tflite-cpu (5)");
        assertEquals(Set.of(ModelFormat.TFLITE), backend.acceptedFormats());
    }

    @Test
    void reportsWhatIsMissingHere() {
        assumeFalse(edgeTpuHere(), "an Edge TPU and libedgetpu are present");
        Availability availability = backend.availability();
        assertFalse(availability.available(), availability::toString);
        String reason = availability.reason();
        if (LibrarySearch.find("libedgetpu.so.1", LibrarySearch.folders()).isEmpty()) {
            assertTrue(reason.contains("libedgetpu.so.1 not found (looked in "), reason);
            assertTrue(reason.contains("install the Edge TPU runtime"), reason);
        }
        if (EdgeTpuDevices.find(EdgeTpuDevices.DEV, EdgeTpuDevices.USB_DEVICES, "").isEmpty()) {
            assertTrue(reason.contains("no Edge TPU: no /dev/apex_N (PCIe/M.2"), reason);
            assertTrue(reason.contains("no USB Accelerator (1a6e:089a or 18d1:9302) in /sys/bus/usb/devices"),
                    reason);
        }
    }

    @Test
    void refusesToLoadWithTheReason() {
        assumeFalse(edgeTpuHere(), "an Edge TPU and libedgetpu are present");
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(TwinModels.source(EDGETPU)));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("edgetpu cannot load model twin-edgetpu:1.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains(backend.availability().reason()), e.getMessage());
    }

    @Test
    void aConfiguredLibraryPathIsLookedForAsItIs() {
        backend.modified(TestConfigs.edgeTpu(Map.of("library", "/nonexistent/libedgetpu.so.1", "device", "usb")));
        Availability availability = backend.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().contains("/nonexistent/libedgetpu.so.1 not found;"), availability.reason());
        if (EdgeTpuDevices.find(EdgeTpuDevices.DEV, EdgeTpuDevices.USB_DEVICES, "usb").isEmpty()) {
            assertTrue(availability.reason().contains("no Edge TPU: no USB Accelerator"), availability.reason());
            assertFalse(availability.reason().contains("apex"), "only USB was asked for: " + availability.reason());
        }
    }

    @Test
    void reportsTensorFlowLiteThatFailedToLoadAndNeverThrows() {
        EdgeTpuBackend broken = new EdgeTpuBackend(() -> TfLiteRuntime.failed(
                "TensorFlow Lite native library could not be loaded: UnsatisfiedLinkError: x"));
        broken.activate(EdgeTpuOptions.DEFAULTS);
        assertTrue(broken.availability().reason().startsWith("TensorFlow Lite native library could not be loaded"),
                broken.availability().reason());
        EdgeTpuBackend throwing = new EdgeTpuBackend(() -> {
            throw new NoClassDefFoundError("org/bytedeco/javacpp/Loader");
        });
        Availability availability = assertDoesNotThrow(throwing::availability);
        assertFalse(availability.available());
        assertTrue(availability.reason().contains("org/bytedeco/javacpp/Loader"), availability.reason());
    }

    @Test
    void acceptsOnlyModelsCompiledForTheEdgeTpu() throws Exception {
        EdgeTpuBackend.requireCompiled(OperatorCodes.read(TwinModels.bytes(EDGETPU)), "model twin-edgetpu:1.0.0");
        InferenceException e = assertThrows(InferenceException.class, () -> EdgeTpuBackend.requireCompiled(
                OperatorCodes.read(TwinModels.bytes(TWIN)), "model twin:1.0.0 (test)"));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code(), "not the model's fault: a CPU backend runs it");
        assertTrue(e.getMessage().contains("model twin:1.0.0 (test) is not compiled for the Edge TPU"), e.getMessage());
        assertTrue(e.getMessage().contains("edgetpu_compiler"), e.getMessage());
    }

    @Test
    void recognisesUsbAcceleratorsByVendorAndProduct() {
        assertTrue(EdgeTpuDevices.isUsbEdgeTpu("1a6e\n", "089a\n"), "before its firmware is loaded");
        assertTrue(EdgeTpuDevices.isUsbEdgeTpu("18d1", "9302"), "after");
        assertTrue(EdgeTpuDevices.isUsbEdgeTpu("18D1", "9302"));
        assertFalse(EdgeTpuDevices.isUsbEdgeTpu("18d1", "4ee7"), "a Google phone is no Edge TPU");
        assertFalse(EdgeTpuDevices.isUsbEdgeTpu("1a6e", "9302"));
        assertFalse(EdgeTpuDevices.isUsbEdgeTpu("", ""));
    }

    @Test
    void findsNothingWhereNothingIs() {
        Path nowhere = Path.of("/nonexistent");
        assertEquals(List.of(), EdgeTpuDevices.find(nowhere, nowhere, ""));
        assertEquals("no Edge TPU: no /nonexistent/apex_N (PCIe/M.2, needs the gasket/apex driver)",
                EdgeTpuDevices.notFound(nowhere, nowhere, "pci"));
    }

    @Test
    void readsTheDeviceSettingStrictly() {
        assertEquals(new EdgeTpuOptions(30, "libedgetpu.so.1", "usb:1"),
                EdgeTpuOptions.from(TestConfigs.edgeTpu(Map.of("device", " usb:1 "))));
        assertEquals("usb", EdgeTpuOptions.from(TestConfigs.edgeTpu(Map.of("device", "usb:1"))).deviceType());
        assertEquals("", EdgeTpuOptions.from(TestConfigs.edgeTpu(Map.of("device", ":0"))).deviceType());
        assertEquals(EdgeTpuOptions.DEFAULTS, EdgeTpuOptions.from(TestConfigs.edgeTpu(Map.of("device", "tpu0",
                "library", " ", "rank", "high"))));
    }
}
