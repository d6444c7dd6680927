package com.factory.inspect.backend.onnxruntime;

import static com.factory.inspect.backend.onnxruntime.TestModels.PIXELS;
import static com.factory.inspect.backend.onnxruntime.TestModels.SLOW;
import static com.factory.inspect.backend.onnxruntime.TestModels.TINY;
import static com.factory.inspect.backend.onnxruntime.TestModels.TINY_FIXED;
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

/** Inference on loaded models: numbers, batches, buffers, threads and closing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrtLoadedModelTest {
    private static final float EPS = 1e-6f;

    private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend();
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "infer-test");
        t.setDaemon(true);
        return t;
    });

    OrtLoadedModelTest() {
        backend.activate(TestConfigs.config(Map.of()));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        backend.deactivate();
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
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void runsDynamicBatches(int batch) throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            float[] images = TestModels.images(batch, batch);
            FloatBuffer in = FloatBuffer.allocate(PIXELS + images.length);
            in.position(PIXELS); // data from the position on; the position stays
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
    void readsDirectBuffersInEitherByteOrder() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            float[] images = TestModels.images(2, 7);
            for (ByteOrder order : List.of(ByteOrder.nativeOrder(), ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                FloatBuffer in = ByteBuffer.allocateDirect(images.length * 4).order(order).asFloatBuffer();
                in.put(images).flip();
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
    void rejectsBuffersThatDoNotFitWithTheNumbers() throws Exception {
        try (LoadedModel model = backend.load(TestModels.source(TINY))) {
            InferenceException shortInput = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(100), FloatBuffer.allocate(4)));
            assertEquals(ErrorCode.BAD_INPUT, shortInput.code());
            assertTrue(shortInput.getMessage().contains("100 floats left, 2 images need 128"),
                    shortInput.getMessage());

            InferenceException smallOutput = assertThrows(InferenceException.class,
                    () -> model.infer(2, FloatBuffer.allocate(128), FloatBuffer.allocate(3)));
            assertEquals(ErrorCode.BAD_INPUT, smallOutput.code());
            assertTrue(smallOutput.getMessage().contains("room for 3 floats, 2 images need 4"),
                    smallOutput.getMessage());

            InferenceException noImages = assertThrows(InferenceException.class,
                    () -> model.infer(0, FloatBuffer.allocate(64), FloatBuffer.allocate(2)));
            assertEquals(ErrorCode.BAD_INPUT, noImages.code());

            InferenceException readOnly = assertThrows(InferenceException.class,
                    () -> model.infer(1, FloatBuffer.allocate(64), FloatBuffer.allocate(2).asReadOnlyBuffer()));
            assertEquals(ErrorCode.BAD_INPUT, readOnly.code());
        }
    }

    @Test
    void concurrentInferencesMatchSingleThreadedOnes() throws Exception {
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
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(threads * rounds, total);
        }
    }

    @Test
    void closeWaitsForInferencesInFlightThenRefusesNewOnes() throws Exception {
        OrtLoadedModel model = (OrtLoadedModel) backend.load(TestModels.source(SLOW));
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
                    assertEquals(expected[1], out.get(1), 1e-5f);
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
        for (Future<ErrorCode> worker : workers) {
            assertEquals(ErrorCode.CLOSED, worker.get(10, TimeUnit.SECONDS));
        }
        assertTrue(completed.get() >= 1, "the inference in flight at close finished normally");
        InferenceException later = assertThrows(InferenceException.class,
                () -> model.infer(1, FloatBuffer.wrap(image), FloatBuffer.allocate(2)));
        assertEquals(ErrorCode.CLOSED, later.code());
        assertTrue(later.getMessage().contains("slow-classifier:1.0.0"), later.getMessage());
        model.close(); // idempotent
    }
}
