package com.factory.inspect.backend.openvino;

import static com.factory.inspect.backend.openvino.TestModels.PIXELS;
import static com.factory.inspect.backend.openvino.TestModels.SLOW;
import static com.factory.inspect.backend.openvino.TestModels.TINY;
import static com.factory.inspect.backend.openvino.TestModels.TINY_FIXED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.lib.openvino.LibrarySearch;
import com.factory.inspect.lib.openvino.OpenVinoRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend on a real OpenVINO, CPU device: numbers, batches, buffers, threads, closing, the
 * descriptor checks and IR models. Skipped, each test with the reason, where {@code libopenvino_c.so}
 * is not installed. Point it at an installation with
 * {@code -Dopenvino.library.path=<folder or file>}, or source OpenVINO's {@code setupvars.sh} first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InstalledOpenVinoBackendTest {
    private static final float EPS = 1e-5f;
    private static final String LIBRARY = System.getProperty("openvino.library.path", "");
    private static OpenVinoRuntime.Probe probe;

    @TempDir
    Path temp;

    private final OpenVinoBackend backend = new OpenVinoBackend();
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "openvino-infer-test");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void probe() {
        probe = OpenVinoRuntime.probe(LibrarySearch.standard(LIBRARY));
    }

    @BeforeEach
    void requireOpenVino() {
        assumeTrue(probe.loaded(), () -> "OpenVINO is not installed here: " + probe.failure());
        backend.activate(config(Map.of()));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        backend.deactivate();
    }

    private static OpenVinoBackend.Config config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("library.path", LIBRARY);
        return TestConfigs.config(all);
    }

    @Test
    void isAvailableOnTheCpuAndSaysWhichOne() {
        Availability availability = backend.availability();
        assertTrue(availability.available(), availability::toString);
        assertTrue(availability.device().startsWith("CPU ("), availability.device());
        assertTrue(availability.device().contains(", OpenVINO 20"), availability.device());
        assertTrue(availability.device().endsWith("hint LATENCY"), availability.device());
    }

    @Test
    void aDeviceThatIsNotThereIsNamedWithWhatIs() {
        List<String> devices = probe.openVino().availableDevices();
        assumeFalse(Devices.present("NPU", devices), "this machine has an NPU");
        backend.modified(config(Map.of("device", "NPU")));
        Availability availability = backend.availability();
        assertFalse(availability.available());
        assertTrue(availability.reason().startsWith("device NPU not present; available: " + String.join(", ", devices)),
                availability.reason());
    }

    @Test
    void computesTheModelsFormulaExactly() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            float[] image = new float[PIXELS];
            for (int i = 0; i < PIXELS; i++) {
                image[i] = i / 63f; // mean 0.5: p(defect) = sigmoid(4 * 0.5 - 1) = sigmoid(1)
            }
            FloatBuffer out = FloatBuffer.allocate(2);
            model.infer(1, FloatBuffer.wrap(image), out);
            double sigmoid1 = 1 / (1 + Math.exp(-1));
            assertEquals(1 - sigmoid1, out.get(0), EPS);
            assertEquals(sigmoid1, out.get(1), EPS);
            assertEquals("openvino", model.backendId());
            assertEquals(List.of(-1L, 1L, 8L, 8L), model.inputSpec().shape());
            assertEquals("float32", model.outputSpec().elementType());
        }
    }

    @Test
    void anIrModelFromItsZipComputesTheSameFormula() throws Exception {
        float[] images = TestModels.images(3, 5);
        try (LoadedModel ir = backend.load(TestModels.tinyIrSource())) {
            FloatBuffer out = FloatBuffer.allocate(6);
            ir.infer(3, FloatBuffer.wrap(images), out);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(TestModels.expected(images, i * PIXELS), new float[] {out.get(2 * i),
                        out.get(2 * i + 1)}, EPS, "image " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void runsDynamicBatches(int batch) throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            float[] images = TestModels.images(batch, batch);
            FloatBuffer in = FloatBuffer.allocate(PIXELS + images.length);
            in.position(PIXELS);
            in.put(images).position(PIXELS);
            FloatBuffer out = FloatBuffer.allocate(1 + 2 * batch);
            out.position(1);

            model.infer(batch, in, out);

            assertEquals(PIXELS, in.position(), "input position unchanged");
            assertEquals(1 + 2 * batch, out.position(), "output position advanced");
            for (int i = 0; i < batch; i++) {
                float[] expected = TestModels.expected(images, i * PIXELS);
                assertEquals(expected[0], out.get(1 + 2 * i), EPS, "image " + i);
                assertEquals(expected[1], out.get(2 + 2 * i), EPS, "image " + i);
            }
        }
    }

    @Test
    void readsDirectBuffersInEitherByteOrderAndAtAnyPosition() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            float[] images = TestModels.images(2, 7);
            for (ByteOrder order : List.of(ByteOrder.nativeOrder(), ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                FloatBuffer in = ByteBuffer.allocateDirect((images.length + 3) * 4).order(order).asFloatBuffer();
                in.position(3);
                in.put(images).position(3); // in place from position 3 when native order
                FloatBuffer out = ByteBuffer.allocateDirect(16).order(order).asFloatBuffer();
                model.infer(2, in, out);
                assertEquals(TestModels.expected(images, 0)[1], out.get(1), EPS, order.toString());
                assertEquals(TestModels.expected(images, PIXELS)[1], out.get(3), EPS, order.toString());
            }
        }
    }

    @Test
    void aFixedBatchModelTakesOnlyItsBatch() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY_FIXED, List.of(1, 1, 8, 8)))) {
            float[] image = TestModels.images(1, 2);
            FloatBuffer out = FloatBuffer.allocate(4);
            model.infer(1, FloatBuffer.wrap(image), out);
            assertEquals(TestModels.expected(image, 0)[1], out.get(1), EPS);
            InferenceException e = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(128), FloatBuffer.allocate(4)));
            assertEquals(ErrorCode.BAD_INPUT, e.code());
            assertTrue(e.getMessage().contains("exactly 1"), e.getMessage());
        }
    }

    @Test
    void rejectsBuffersThatDoNotFit() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            InferenceException shortInput = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(100), FloatBuffer.allocate(4)));
            assertTrue(shortInput.getMessage().contains("100 floats left, 2 images need 128"), shortInput.getMessage());
            InferenceException smallOutput = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(128), FloatBuffer.allocate(3)));
            assertTrue(smallOutput.getMessage().contains("room for 3 floats, 2 images need 4"), smallOutput.getMessage());
            assertEquals(ErrorCode.BAD_INPUT, assertThrows(InferenceException.class,
                    () -> model.infer(0, FloatBuffer.allocate(64), FloatBuffer.allocate(2))).code());
        }
    }

    @Test
    void concurrentInferencesMatchSingleThreadedOnesWithOneRequestPerThreadAtMost() throws Exception {
        int threads = 8;
        int rounds = 200;
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            float[][] inputs = new float[threads][];
            float[][] expected = new float[threads][];
            for (int t = 0; t < threads; t++) {
                inputs[t] = TestModels.images(3, t);
                FloatBuffer out = FloatBuffer.allocate(6);
                model.infer(3, FloatBuffer.wrap(inputs[t]), out);
                expected[t] = out.array();
            }
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                results.add(pool.submit(() -> {
                    start.await();
                    FloatBuffer in = ByteBuffer.allocateDirect(inputs[me].length * 4)
                            .order(ByteOrder.nativeOrder()).asFloatBuffer().put(inputs[me]).flip();
                    for (int r = 0; r < rounds; r++) {
                        FloatBuffer out = FloatBuffer.allocate(6);
                        model.infer(3, me % 2 == 0 ? in : FloatBuffer.wrap(inputs[me]), out);
                        assertArrayEquals(expected[me], out.array(), "thread " + me + " round " + r);
                    }
                    return rounds;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * rounds, total);
            int requests = ((OvLoadedModel) model).requests();
            assertTrue(requests >= 1 && requests <= threads, requests + " infer requests for " + threads + " threads");
        }
    }

    @Test
    void closeWaitsForInferencesInFlightThenRefusesNewOnes() throws Exception {
        OvLoadedModel model = (OvLoadedModel) backend.load(TestModels.source(SLOW));
        float[] image = TestModels.images(1, 4);
        float[] expected = TestModels.expected(image, 0);
        AtomicInteger completed = new AtomicInteger();
        List<Future<ErrorCode>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                while (true) {
                    FloatBuffer out = FloatBuffer.allocate(2);
                    try {
                        model.infer(1, FloatBuffer.wrap(image), out);
                    } catch (InferenceException e) {
                        return e.code();
                    }
                    assertEquals(expected[1], out.get(1), 1e-4f);
                    completed.incrementAndGet();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (model.inFlight() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(model.inFlight() > 0, "an inference should be running");

        model.close();

        assertEquals(0, model.inFlight(), "close returned with inferences in flight");
        assertEquals(0, model.requests(), "every infer request freed");
        for (Future<ErrorCode> worker : workers) {
            assertEquals(ErrorCode.CLOSED, worker.get(10, TimeUnit.SECONDS));
        }
        assertTrue(completed.get() >= 1, "the inference in flight at close finished normally");
        InferenceException later = assertThrows(InferenceException.class,
                () -> model.infer(1, FloatBuffer.wrap(image), FloatBuffer.allocate(2)));
        assertEquals(ErrorCode.CLOSED, later.code());
        model.close(); // idempotent
    }

    @Test
    void aModelThatDoesNotFitItsDescriptorIsAShapeMismatch() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(TestModels.source(TINY, List.of(-1, 1, 16, 16))));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("found 'image' float32 [-1, 1, 8, 8]"), e.getMessage());
    }

    @Test
    void aWrongChecksumIsRefusedBeforeOpenVinoSeesTheFile() {
        ModelSource tampered = new TestModels.ResourceModelSource(TINY, TestModels.descriptor(TINY,
                TestModels.DYNAMIC_8X8, TestModels.LABELS, "0".repeat(64), ModelFormat.ONNX));
        assertEquals(ErrorCode.CHECKSUM_MISMATCH, assertThrows(InferenceException.class,
                () -> backend.load(tampered)).code());
    }

    @Test
    void anOnnxFileOpenVinoCannotReadLetsTheNextBackendTry() {
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(
                new TestModels.BytesModelSource("garbage".getBytes(StandardCharsets.UTF_8), ModelFormat.ONNX)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
        assertTrue(e.getMessage().contains("ov_core_read_model_from_memory_buffer failed with GENERAL_ERROR (-1)"),
                e.getMessage());
    }

    @Test
    void anIrOpenVinoCannotReadIsInvalid() {
        byte[] zip = TestModels.zip("m.xml", "<net version=\"11\"><layers>".getBytes(StandardCharsets.UTF_8));
        InferenceException e = assertThrows(InferenceException.class,
                () -> backend.load(new TestModels.BytesModelSource(zip, ModelFormat.OPENVINO_IR)));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("could not be read by OpenVINO"), e.getMessage());
    }

    @Test
    void theCacheFolderReceivesTheCompiledModel() throws Exception {
        Path cache = temp.resolve("cache");
        backend.modified(config(Map.of("cache.dir", cache.toString())));
        backend.load(TestModels.source(TINY)).close();
        try (Stream<Path> files = Files.list(cache)) {
            assertTrue(files.findAny().isPresent(), "OpenVINO wrote nothing to " + cache);
        } catch (IOException e) {
            throw new AssertionError("no cache folder " + cache, e);
        }
    }

    @Test
    void deactivateClosesModelsLeftOpen() throws Exception {
        LoadedModel model = backend.load(TestModels.source(TINY));
        backend.deactivate();
        assertEquals(ErrorCode.CLOSED, assertThrows(InferenceException.class,
                () -> model.infer(1, FloatBuffer.allocate(64), FloatBuffer.allocate(2))).code());
    }
}
