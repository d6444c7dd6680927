package com.factory.inspect.lib.openvino;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    void readsTheModelsPorts() throws Exception {
        try (OvModel model = openVino.readModel(tinyClassifier(), null)) {
            assertEquals(List.of(new PortInfo("image", 5, List.of(-1L, 1L, 8L, 8L), false)),
                    model.inputs());
            assertEquals(List.of(new PortInfo("probabilities", 5, List.of(-1L, 2L), false)),
                    model.outputs());
        }
    }

    @Test
    void compilesAndRunsOnTheCpu() throws Exception {
        float[] image = new float[64];
        for (int i = 0; i < 64; i++) {
            image[i] = i / 63f; // mean 0.5: p(defect) = sigmoid(1)
        }
        FloatBuffer in = ByteBuffer.allocateDirect(64 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer()
                .put(image).flip();
        try (OvModel model = openVino.readModel(tinyClassifier(), null);
                OvCompiledModel compiled = openVino.compile(model, "CPU", List.of("PERFORMANCE_HINT",
                        "LATENCY"));
                OvInferRequest request = compiled.createInferRequest();
                OvTensor input = OvTensor.wrapFloats(openVino, in, 1, 1, 8, 8)) {
            request.setInput(input);
            request.infer();
            try (OvTensor output = request.output(0)) {
                assertEquals(2, output.size());
                FloatBuffer p = FloatBuffer.allocate(2);
                output.copyTo(p);
                assertEquals(1 / (1 + Math.exp(-1)), p.get(1), 1e-5);
            }
        }
    }

    @Test
    void anUnknownDeviceFailsToCompileWithOpenVinosText() throws Exception {
        try (OvModel model = openVino.readModel(tinyClassifier(), null)) {
            OpenVinoException e = assertThrows(OpenVinoException.class,
                    () -> openVino.compile(model, "NO_SUCH_DEVICE", List.of()).close());
            assertEquals("ov_core_compile_model", e.function());
            assertTrue(e.getMessage().contains("NO_SUCH_DEVICE"), e.getMessage());
        }
    }

    @Test
    void aClosedHandleIsALifecycleErrorNotACrash() throws Exception {
        OvModel model = openVino.readModel(tinyClassifier(), null);
        model.close();
        model.close(); // idempotent
        assertTrue(model.isClosed());
        assertThrows(IllegalStateException.class, model::inputs);
    }

    private static byte[] tinyClassifier() throws IOException {
        try (InputStream in = InstalledOpenVinoTest.class.getResourceAsStream("/tiny-classifier.onnx")) {
            return in.readAllBytes();
        }
    }
}
