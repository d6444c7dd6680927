package com.factory.inspect.backend.coral;

import static com.factory.inspect.backend.coral.TwinModels.FIXED;
import static com.factory.inspect.backend.coral.TwinModels.PIXELS;
import static com.factory.inspect.backend.coral.TwinModels.REFERENCE;
import static com.factory.inspect.backend.coral.TwinModels.TWIN;
import static com.factory.inspect.backend.coral.TwinModels.UINT8;
import static com.factory.inspect.backend.coral.TwinModels.UINT8_OUTPUT_STEP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inference on loaded twin models, on the real TensorFlow Lite with XNNPACK: agreement with numpy,
 * batches, quantised I/O, buffers, threads and closing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TfLiteLoadedModelTest {
    /** Agreement with the numpy (float64) reference: float32 arithmetic in another summation order. */
    private static final double EPS = 1e-5;

    private final TfLiteCpuBackend backend = new TfLiteCpuBackend();
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "infer-test");
        t.setDaemon(true);
        return t;
    });

    TfLiteLoadedModelTest() {
        backend.activate(TestConfigs.cpu(Map.of("interpreters", 2)));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        backend.deactivate();
    }

    @Test
    void computesTheReferenceOutputsImageByImage() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            for (int i = 0; i < REFERENCE.count(); i++) {
                FloatBuffer out = FloatBuffer.allocate(2);
                model.infer(1, FloatBuffer.wrap(REFERENCE.images()[i]), out);
                assertEquals(REFERENCE.probabilities()[i][0], out.get(0), EPS, "image " + i);
                assertEquals(REFERENCE.probabilities()[i][1], out.get(1), EPS, "image " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void runsDynamicBatchesKeepingTheInputPositionAndAdvancingTheOutputs(int batch) throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            float[] images = REFERENCE.batch(batch, batch);
            FloatBuffer in = FloatBuffer.allocate(PIXELS + images.length);
            in.position(PIXELS); // data from the position on; the position stays
            in.put(images).position(PIXELS);
            FloatBuffer out = FloatBuffer.allocate(1 + 2 * batch);
            out.position(1);

            model.infer(batch, in, out);

            assertEquals(PIXELS, in.position(), "input position unchanged");
            assertEquals(1 + 2 * batch, out.position(), "output position advanced");
            for (int i = 0; i < batch; i++) {
                double[] expected = REFERENCE.probabilities()[(batch + i) % REFERENCE.count()];
                assertEquals(expected[0], out.get(1 + 2 * i), EPS, "image " + i);
                assertEquals(expected[1], out.get(2 + 2 * i), EPS, "image " + i);
            }
        }
    }

    @Test
    void switchesBatchSizesBackAndForthOnOneInterpreter() throws Exception {
        backend.modified(TestConfigs.cpu(Map.of("interpreters", 1)));
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            for (int batch : new int[] {4, 1, 3, 3, 2, 4, 1}) {
                FloatBuffer out = FloatBuffer.allocate(2 * batch);
                model.infer(batch, FloatBuffer.wrap(REFERENCE.batch(0, batch)), out);
                for (int i = 0; i < batch; i++) {
                    assertEquals(REFERENCE.probabilities()[i % REFERENCE.count()][1], out.get(2 * i + 1), EPS,
                            "batch " + batch + " image " + i);
                }
            }
        }
    }

    @Test
    void quantisesTheInputAndDequantisesTheOutputOfAUint8Model() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(UINT8))) {
            FloatBuffer out = FloatBuffer.allocate(2 * REFERENCE.count());
            model.infer(REFERENCE.count(), FloatBuffer.wrap(REFERENCE.batch(0, REFERENCE.count())), out);
            for (int i = 0; i < REFERENCE.count(); i++) {
                for (int k = 0; k < 2; k++) {
                    // One output quantum: TensorFlow Lite's float32 may round the other way at a step.
                    assertEquals(REFERENCE.uint8Probabilities()[i][k], out.get(2 * i + k), UINT8_OUTPUT_STEP + 1e-6,
                            "image " + i);
                    assertEquals(0, out.get(2 * i + k) % UINT8_OUTPUT_STEP, 1e-6, "a multiple of 1/256");
                }
                assertTrue(Math.abs(out.get(2 * i + 1) - REFERENCE.probabilities()[i][1]) < 0.01,
                        "close to the float model's");
            }
        }
    }

    @Test
    void readsDirectBuffersInEitherByteOrder() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            float[] images = REFERENCE.batch(1, 2);
            for (ByteOrder order : List.of(ByteOrder.nativeOrder(), ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                FloatBuffer in = ByteBuffer.allocateDirect(images.length * 4).order(order).asFloatBuffer();
                in.put(images).flip();
                FloatBuffer out = ByteBuffer.allocateDirect(16).order(order).asFloatBuffer();
                model.infer(2, in, out);
                assertEquals(REFERENCE.probabilities()[1][1], out.get(1), EPS, order.toString());
                assertEquals(REFERENCE.probabilities()[2][1], out.get(3), EPS, order.toString());
            }
        }
    }

    @Test
    void aFixedBatchModelTakesOnlyItsBatch() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(FIXED))) {
            FloatBuffer out = FloatBuffer.allocate(4);
            model.infer(1, FloatBuffer.wrap(REFERENCE.images()[3]), out);
            assertEquals(REFERENCE.probabilities()[3][1], out.get(1), EPS);
            InferenceException e = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(2 * PIXELS), FloatBuffer.allocate(4)));
            assertEquals(ErrorCode.BAD_INPUT, e.code());
            assertTrue(e.getMessage().contains("exactly 1"), e.getMessage());
        }
    }

    @Test
    void rejectsBuffersThatDoNotFitWithTheNumbers() throws Exception {
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            InferenceException shortInput = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(2000), FloatBuffer.allocate(4)));
            assertEquals(ErrorCode.BAD_INPUT, shortInput.code());
            assertTrue(shortInput.getMessage().contains("2000 floats left, 2 images need 2048 (1024 each)"),
                    shortInput.getMessage());
            assertTrue(shortInput.getMessage().contains("twin:1.0.0"), shortInput.getMessage());

            InferenceException smallOutput = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(2048), FloatBuffer.allocate(3)));
            assertEquals(ErrorCode.BAD_INPUT, smallOutput.code());
            assertTrue(smallOutput.getMessage().contains("room for 3 floats, 2 images need 4"),
                    smallOutput.getMessage());

            InferenceException noImages = assertThrows(InferenceException.class,
                    () -> model.infer(0, FloatBuffer.allocate(1024), FloatBuffer.allocate(2)));
            assertEquals(ErrorCode.BAD_INPUT, noImages.code());

            InferenceException readOnly = assertThrows(InferenceException.class,
                    () -> model.infer(1, FloatBuffer.allocate(1024), FloatBuffer.allocate(2).asReadOnlyBuffer()));
            assertEquals(ErrorCode.BAD_INPUT, readOnly.code());

            FloatBuffer out = FloatBuffer.allocate(2); // still fine afterwards
            model.infer(1, FloatBuffer.wrap(REFERENCE.images()[0]), out);
            assertEquals(REFERENCE.probabilities()[0][1], out.get(1), EPS);
        }
    }

    @Test
    void fourThreadsInferringAtOnceGetTheSingleThreadedNumbers() throws Exception {
        int threads = 4;
        int rounds = 300;
        try (LoadedModel model = backend.load(TwinModels.source(TWIN))) {
            float[][] inputs = new float[threads][];
            float[][] expected = new float[threads][];
            for (int t = 0; t < threads; t++) {
                int batch = 1 + t % 3; // interpreters keep switching batch sizes too
                inputs[t] = REFERENCE.batch(t, batch);
                FloatBuffer out = FloatBuffer.allocate(2 * batch);
                model.infer(batch, FloatBuffer.wrap(inputs[t]), out);
                expected[t] = out.array();
            }
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                int batch = 1 + t % 3;
                results.add(pool.submit(() -> {
                    start.await();
                    FloatBuffer in = ByteBuffer.allocateDirect(inputs[me].length * 4)
                            .order(ByteOrder.nativeOrder()).asFloatBuffer().put(inputs[me]).flip();
                    for (int r = 0; r < rounds; r++) {
                        FloatBuffer out = FloatBuffer.allocate(2 * batch);
                        model.infer(batch, me % 2 == 0 ? in : FloatBuffer.wrap(inputs[me]), out);
                        assertArrayEquals(expected[me], out.array(), "thread " + me + " round " + r);
                    }
                    return rounds;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(threads * rounds, total);
        }
    }

    @Test
    void closeWaitsForInferencesInFlightThenRefusesNewOnes() throws Exception {
        TfLiteLoadedModel model = (TfLiteLoadedModel) backend.load(TwinModels.source(TWIN));
        int batch = 256; // milliseconds per inference: closing finds some in flight
        float[] images = REFERENCE.batch(0, batch);
        AtomicInteger completed = new AtomicInteger();
        List<Future<ErrorCode>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                while (true) {
                    FloatBuffer out = FloatBuffer.allocate(2 * batch);
                    try {
                        model.infer(batch, FloatBuffer.wrap(images), out);
                    } catch (InferenceException e) {
                        return e.code();
                    }
                    assertEquals(REFERENCE.probabilities()[3][1], out.get(7), EPS);
                    completed.incrementAndGet();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (completed.get() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long inFlight = model.inFlight();
        int before = completed.get();

        model.close();

        assertTrue(inFlight > 0, "inferences should have been running when close was called");
        assertEquals(0, model.inFlight(), "close returned with inferences in flight");
        for (Future<ErrorCode> worker : workers) {
            assertEquals(ErrorCode.CLOSED, worker.get(10, TimeUnit.SECONDS));
        }
        assertTrue(completed.get() > before, "the inferences in flight at close finished normally");
        InferenceException later = assertThrows(InferenceException.class,
                () -> model.infer(1, FloatBuffer.wrap(images), FloatBuffer.allocate(2)));
        assertEquals(ErrorCode.CLOSED, later.code());
        assertTrue(later.getMessage().contains("twin:1.0.0"), later.getMessage());
        model.close(); // idempotent
    }
}
