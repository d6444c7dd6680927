package com.factory.inspect.lib.openvino;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binding against a real OpenVINO: skipped (with the reason) where {@code libopenvino_c.so} is
 * not installed. Point it at an installation with {@code -Dopenvino.library.path=<folder or file>},
 * or source OpenVINO's {@code setupvars.sh} first.
 */
class InstalledOpenVinoTest {
    private static OpenVinoRuntime.Probe probe;
    private OpenVino openVino;

    @BeforeAll
    static void loadOpenVino() {
        probe = OpenVinoRuntime.probe(LibrarySearch.standard(System.getProperty("openvino.library.path", "")));
    }

    /** Per test, so each one is reported as skipped, with the reason. */
    @BeforeEach
    void requireOpenVino() {
        assumeTrue(probe.loaded(), () -> "OpenVINO is not installed here: " + probe.failure());
        openVino = probe.openVino();
    }

    @Test
    void reportsASupportedVersionAndTheCpu() {
        assertTrue(OpenVinoRuntime.releaseYear(openVino.version()) >= OpenVinoRuntime.MINIMUM_RELEASE_YEAR,
                openVino.version());
        assertTrue(openVino.availableDevices().contains("CPU"), openVino.availableDevices().toString());
        assertFalse(openVino.fullDeviceName("CPU").orElse("").isBlank(), "CPU has a full name");
    }

    @Test
    void aTensorOverHostMemoryReadsBackTheSameFloats() throws Exception {
        FloatBuffer data = ByteBuffer.allocateDirect(8 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 8; i++) {
            data.put(i, i * 0.5f);
        }
        data.position(2); // from the position on
        try (OvTensor tensor = OvTensor.wrapFloats(openVino, data, 2, 3)) {
            assertEquals(6, tensor.size());
            FloatBuffer copy = FloatBuffer.allocate(6);
            tensor.copyTo(copy);
            assertArrayEquals(new float[] {1f, 1.5f, 2f, 2.5f, 3f, 3.5f}, copy.array());
        }
    }

    @Test
    void aShapeIsCreatedAndFreed() throws Exception {
        try (OvShape shape = OvShape.of(openVino, 1, 3, 224, 224)) {
            assertArrayEquals(new long[] {1, 3, 224, 224}, shape.dims());
        }
    }

    @Test
    void aBrokenModelFailsWithOpenVinosStatusAndText() {
        OpenVinoException e = assertThrows(OpenVinoException.class,
                () -> openVino.readModel("not a model".getBytes(StandardCharsets.UTF_8), null).close());
        assertEquals("ov_core_read_model_from_memory_buffer", e.function());
        assertEquals(OvStatus.GENERAL_ERROR, e.statusConstant());
        assertFalse(e.detail().isBlank(), e.getMessage());
    }

    @Test
    void anUnknownDeviceFailsToCompileWithOpenVinosText() {
        assertThrows(OpenVinoException.class, () -> {
            try (OvModel model = openVino.readModel("not a model".getBytes(StandardCharsets.UTF_8), null)) {
                openVino.compile(model, "NO_SUCH_DEVICE", java.util.List.of()).close();
            }
        });
    }
}
