package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.lib.openvino.LibrarySearch;
import com.factory.inspect.lib.openvino.OpenVinoRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend component without OpenVINO (no OSGi): what it says about itself and why it is
 * unavailable. Probing is real (the library search and {@code dlopen}); where OpenVINO is installed
 * and already loaded in this JVM, the tests that need it absent are skipped.
 */
class OpenVinoBackendTest {
    @TempDir
    Path empty;

    private final OpenVinoBackend backend = new OpenVinoBackend();

    @AfterEach
    void deactivate() {
        backend.deactivate();
    }

    @Test
    void describesItself() {
        backend.activate(TestConfigs.config(Map.of()));
        assertEquals("openvino", backend.id());
        assertEquals(30, backend.rank());
        assertEquals(Set.of(ModelFormat.ONNX, ModelFormat.OPENVINO_IR), backend.acceptedFormats());
    }

    @Test
    void withoutTheLibraryItIsUnavailableAndSaysWhereItLooked() {
        backend.activate(TestConfigs.config(Map.of("library.path", empty.toString())));
        Availability availability = backend.availability();
        assumeFalse(availability.available(), "OpenVINO is already loaded in this JVM");

        assertEquals("libopenvino_c.so not found in " + empty + " (configured library path)", availability.reason());
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(TestModels.source(TestModels.TINY)));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertEquals("BACKEND_UNAVAILABLE: libopenvino_c.so not found in " + empty + " (configured library path)",
                e.getMessage());
    }

    @Test
    void onThisMachineTheStandardSearchSaysEveryPlaceLookedAt() {
        backend.activate(TestConfigs.config(Map.of()));
        OpenVinoRuntime.Probe probe = OpenVinoRuntime.probe(LibrarySearch.standard(""));
        assumeFalse(probe.loaded(), "OpenVINO is installed here");

        Availability availability = backend.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().startsWith("libopenvino_c.so not found in "), availability.reason());
        assertTrue(availability.reason().contains("/opt/intel/openvino*/runtime/lib/"), availability.reason());
        assertTrue(availability.reason().endsWith("the system library path (LD_LIBRARY_PATH, ldconfig)"),
                availability.reason());
    }

    @Test
    void aBadDeviceNameMakesItUnavailableWithTheConfigurationError() {
        backend.activate(TestConfigs.config(Map.of("device", "GPUU")));
        Availability availability = backend.availability();
        assertFalse(availability.available());
        assertEquals("configuration com.factory.inspect.backend.openvino: device 'GPUU' is not one of CPU, GPU, "
                + "GPU.<n>, NPU, AUTO", availability.reason());
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(TestModels.source(TestModels.TINY)));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("device 'GPUU'"), e.getMessage());
    }

    @Test
    void availabilityNeverThrows() {
        OpenVinoBackend broken = new OpenVinoBackend(search -> {
            throw new UnsatisfiedLinkError("jnidispatch missing");
        });
        broken.activate(BackendOptions.DEFAULTS);
        Availability availability = broken.availability();
        assertFalse(availability.available());
        assertEquals("OpenVINO could not be probed: java.lang.UnsatisfiedLinkError: jnidispatch missing",
                availability.reason());
    }

    @Test
    void refusesFormatsItCannotRead() {
        backend.activate(TestConfigs.config(Map.of()));
        TestModels.BytesModelSource tflite = new TestModels.BytesModelSource(new byte[] {1}, ModelFormat.TFLITE);
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(tflite));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
        assertTrue(e.getMessage().endsWith("is tflite; openvino accepts [onnx, openvino-ir]"), e.getMessage());
    }

    @Test
    void anUnchangedConfigurationIsANoOpAndAChangedOneApplies() {
        backend.activate(TestConfigs.config(Map.of("device", "CPU")));
        BackendOptions before = backend.options();
        backend.modified(TestConfigs.config(Map.of("device", "cpu")));
        assertSame(before, backend.options());
        backend.modified(TestConfigs.config(Map.of("device", "GPU", "rank", "45")));
        assertEquals("GPU", backend.options().device());
        assertEquals(45, backend.rank());
    }

    @Test
    void deactivateIsSafeWithoutActivation() {
        new OpenVinoBackend().deactivate();
    }
}
