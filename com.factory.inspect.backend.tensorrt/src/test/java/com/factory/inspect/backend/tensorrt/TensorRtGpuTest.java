package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.backend.tensorrt.TensorRtBackend.PrecisionPolicy;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorRT on a real GPU: engine builds, the cache, inference, concurrency and closing. Runs where
 * TensorRT 10, CUDA 12, cuDNN 9 and an NVIDIA GPU are present (a Jetson with JetPack 6.1 or newer);
 * elsewhere every test is skipped with the probe's reason.
 */
class TensorRtGpuTest {
    private static final long BUILD_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

    @TempDir
    Path cache;

    private final List<TensorRtBackend> backends = new ArrayList<>();

    /** Per test rather than per class, so every skipped test is reported with the reason. */
    @BeforeEach
    void needsTensorRtAndAGpu() {
        TrtRuntime rt = TrtRuntime.get();
        assumeTrue(rt.available(), () -> "needs TensorRT 10, CUDA 12, cuDNN 9 and an NVIDIA GPU: " + rt.failure());
    }

    @AfterEach
    void stop() {
        backends.forEach(TensorRtBackend::deactivate);
    }

    @Test
    void availabilityNamesTheGpuAndTensorRt() {
        Availability a = backend(PrecisionPolicy.FP32).availability();
        assertTrue(a.available(), a.toString());
        assertTrue(a.device().startsWith("GPU 0 ") && a.device().contains("TensorRT 10."), a.device());
    }

    @Test
    void theFirstLoadIsNotReadyAndTheBuiltEngineGivesTheModelsNumbers() throws Exception {
        TensorRtBackend backend = backend(PrecisionPolicy.FP32);
        ModelSource model = TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8);
        InferenceException first = assertThrows(InferenceException.class, () -> backend.load(model));
        assertEquals(ErrorCode.NOT_READY, first.code(), first.getMessage());
        try (LoadedModel loaded = loadWhenBuilt(backend, model)) {
            assertEquals("tensorrt", loaded.backendId());
            for (int batch = 1; batch <= 4; batch++) {
                assertInfers(loaded, batch, batch, 1e-5f);
            }
            InferenceException tooMany = assertThrows(InferenceException.class,
                    () -> loaded.infer(9, FloatBuffer.allocate(9 * 64), FloatBuffer.allocate(18)));
            assertEquals(ErrorCode.BAD_INPUT, tooMany.code());
        }
        try (var files = Files.list(cache)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".engine")).count());
        }
    }

    @Test
    void halfPrecisionStaysCloseToTheModel() throws Exception {
        TensorRtBackend backend = backend(PrecisionPolicy.AUTO);
        try (LoadedModel loaded = loadWhenBuilt(backend, TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8))) {
            assertInfers(loaded, 3, 7, 1e-2f);
        }
    }

    @Test
    void aQuantizedModelBuildsAndRuns() throws Exception {
        TensorRtBackend backend = backend(PrecisionPolicy.AUTO);
        try (LoadedModel loaded = loadWhenBuilt(backend, TestModels.source(TestModels.QDQ, TestModels.DYNAMIC_8X8))) {
            assertInfers(loaded, 2, 3, 2e-2f); // the input is quantized to 1/127 steps
        }
    }

    @Test
    void aRestartedBackendTakesTheEngineFromTheCache() throws Exception {
        ModelSource model = TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8);
        loadWhenBuilt(backend(PrecisionPolicy.FP32), model).close();
        try (LoadedModel again = backend(PrecisionPolicy.FP32).load(model)) { // no NOT_READY: no build
            assertInfers(again, 2, 5, 1e-5f);
        }
    }

    @Test
    void aDamagedCacheFileIsBuiltAgain() throws Exception {
        ModelSource model = TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8);
        loadWhenBuilt(backend(PrecisionPolicy.FP32), model).close();
        Path file;
        try (var files = Files.list(cache)) {
            file = files.filter(f -> f.toString().endsWith(".engine")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        TensorRtBackend restarted = backend(PrecisionPolicy.FP32);
        assertEquals(ErrorCode.NOT_READY, assertThrows(InferenceException.class, () -> restarted.load(model)).code());
        try (LoadedModel rebuilt = loadWhenBuilt(restarted, model)) {
            assertInfers(rebuilt, 1, 2, 1e-5f);
        }
    }

    @Test
    void aFixedBatchModelTakesOnlyItsBatch() throws Exception {
        TensorRtBackend backend = backend(PrecisionPolicy.FP32);
        try (LoadedModel loaded = loadWhenBuilt(backend, TestModels.source(TestModels.TINY_FIXED,
                TestModels.FIXED_8X8))) {
            assertInfers(loaded, 1, 4, 1e-5f);
            assertEquals(ErrorCode.BAD_INPUT, assertThrows(InferenceException.class,
                    () -> loaded.infer(2, FloatBuffer.allocate(128), FloatBuffer.allocate(4))).code());
        }
    }

    @Test
    void manyThreadsShareTheExecutionContexts() throws Exception {
        TensorRtBackend backend = backend(PrecisionPolicy.FP32);
        try (LoadedModel loaded = loadWhenBuilt(backend, TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8))) {
            ExecutorService threads = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int seed = t;
                    runs.add(threads.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            assertInfers(loaded, 1 + (i + seed) % 3, seed + i, 1e-5f);
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(2, TimeUnit.MINUTES);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void closingWaitsForInferencesInFlightAndThenRefusesNewOnes() throws Exception {
        TensorRtBackend backend = backend(PrecisionPolicy.FP32);
        LoadedModel loaded = loadWhenBuilt(backend, TestModels.source(TestModels.SLOW, TestModels.DYNAMIC_8X8));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            runs.add(threads.submit(() -> {
                int done = 0;
                while (!stop.get()) {
                    try {
                        assertInfers(loaded, 4, done, 1e-3f);
                        done++;
                    } catch (InferenceException e) {
                        assertEquals(ErrorCode.CLOSED, e.code(), e.getMessage());
                        return done;
                    }
                }
                return done;
            }));
        }
        Thread.sleep(300);
        loaded.close(); // waits for the runs in flight; the engine goes only after them
        stop.set(true);
        for (Future<Integer> run : runs) {
            assertTrue(run.get(1, TimeUnit.MINUTES) > 0, "each thread ran before the close");
        }
        threads.shutdownNow();
        assertEquals(ErrorCode.CLOSED, assertThrows(InferenceException.class,
                () -> loaded.infer(1, FloatBuffer.allocate(64), FloatBuffer.allocate(2))).code());
        loaded.close(); // idempotent
    }

    private TensorRtBackend backend(PrecisionPolicy precision) {
        TensorRtBackend backend = new TensorRtBackend();
        backend.activate(new BackendOptions(100, cache, precision, 64L * 1024 * 1024, 0, 1, 8, 2));
        backends.add(backend);
        return backend;
    }

    /** Loads {@code model}, waiting while its engine is built (NOT_READY). */
    private static LoadedModel loadWhenBuilt(TensorRtBackend backend, ModelSource model) throws Exception {
        long deadline = System.nanoTime() + BUILD_TIMEOUT_NANOS;
        while (true) {
            try {
                return backend.load(model);
            } catch (InferenceException e) {
                if (e.code() != ErrorCode.NOT_READY || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Runs {@code batch} ramp images and compares with the models' formula. */
    private static void assertInfers(LoadedModel model, int batch, int seed, float tolerance)
            throws InferenceException {
        float[] images = TestModels.images(batch, seed);
        FloatBuffer out = FloatBuffer.allocate(batch * 2);
        model.infer(batch, FloatBuffer.wrap(images), out);
        assertEquals(batch * 2, out.position());
        for (int i = 0; i < batch; i++) {
            float[] expected = TestModels.expected(images, i * TestModels.PIXELS);
            assertEquals(expected[0], out.get(2 * i), tolerance, "image " + i + " of " + batch);
            assertEquals(expected[1], out.get(2 * i + 1), tolerance, "image " + i + " of " + batch);
        }
    }
}
