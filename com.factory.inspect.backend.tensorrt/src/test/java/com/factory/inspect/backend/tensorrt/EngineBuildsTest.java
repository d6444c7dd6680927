package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine builds in the background and the cache around them, with a pluggable builder that returns
 * arbitrary bytes (file handling and the NOT_READY protocol only; no TensorRT involved).
 */
class EngineBuildsTest {
    private static final EngineKey KEY = new EngineKey("bolts", "1.0.0", "d".repeat(64), "10.3.0", "Orin", "sm_87",
            Precision.FP16, new BatchProfile(1, 1, 8));
    private static final byte[] ENGINE = "engine".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final EngineBuilds builds = new EngineBuilds(clock::get);

    @AfterEach
    void close() {
        builds.close();
    }

    @Test
    void theFirstLoadStartsABuildOnTheBuilderThreadAndIsNotReady() throws Exception {
        EngineCache cache = new EngineCache(dir);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        EngineBuilds.Builder builder = () -> {
            calls.incrementAndGet();
            thread.set(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
            await(release);
            return ENGINE;
        };
        InferenceException first = assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts",
                builder));
        assertEquals(ErrorCode.NOT_READY, first.code());
        assertTrue(first.getMessage().contains("being built") && first.getMessage().contains("bolts"),
                first.getMessage());
        InferenceException again = assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts",
                builder));
        assertEquals(ErrorCode.NOT_READY, again.code(), "still building");
        assertEquals(1, builds.running());

        release.countDown();
        awaitIdle();
        assertArrayEquals(ENGINE, builds.engine(cache, KEY, "bolts", builder));
        assertEquals(1, calls.get(), "built once");
        assertEquals(EngineBuilds.THREAD_NAME + " daemon", thread.get());
        assertTrue(Files.exists(cache.file(KEY)), "kept in the cache");
    }

    @Test
    void aCachedEngineIsUsedWithoutBuilding() throws Exception {
        EngineCache cache = new EngineCache(dir);
        cache.write(KEY, ENGINE); // as a previous run left it
        assertArrayEquals(ENGINE, builds.engine(cache, KEY, "bolts", () -> {
            throw new AssertionError("must not build");
        }));
    }

    @Test
    void anEngineBuiltBeforeARestartIsReusedAfterIt() throws Exception {
        EngineCache cache = new EngineCache(dir);
        assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", () -> ENGINE));
        awaitIdle();
        try (EngineBuilds restarted = new EngineBuilds(clock::get)) {
            assertArrayEquals(ENGINE, restarted.engine(new EngineCache(dir), KEY, "bolts", () -> {
                throw new AssertionError("must not build again");
            }));
        }
    }

    @Test
    void aCorruptCacheFileIsRebuilt() throws Exception {
        EngineCache cache = new EngineCache(dir);
        Files.writeString(cache.file(KEY), "damaged");
        AtomicInteger calls = new AtomicInteger();
        try (LogRecorder log = new LogRecorder(EngineCache.class)) {
            InferenceException e = assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", () -> {
                calls.incrementAndGet();
                return ENGINE;
            }));
            assertEquals(ErrorCode.NOT_READY, e.code());
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains("not usable")), log.warnings().toString());
        }
        awaitIdle();
        assertEquals(1, calls.get());
        assertArrayEquals(ENGINE, cache.read(KEY).orElseThrow());
    }

    @Test
    void aFailedBuildIsReportedWithItsCodeAndNotRetriedAtOnce() throws Exception {
        EngineCache cache = new EngineCache(dir);
        AtomicInteger calls = new AtomicInteger();
        EngineBuilds.Builder failing = () -> {
            calls.incrementAndGet();
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, "bolts was rejected by TensorRT's ONNX parser");
        };
        assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", failing));
        awaitIdle();
        InferenceException e = assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", failing));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
        assertTrue(e.getMessage().startsWith("UNSUPPORTED_FORMAT: bolts was rejected by TensorRT's ONNX parser ("),
                e.getMessage());
        assertEquals(1, calls.get());

        clock.addAndGet(EngineBuilds.FAILURE_MEMORY_NANOS); // later, it is tried again
        assertEquals(ErrorCode.NOT_READY, assertThrows(InferenceException.class, () -> builds.engine(cache, KEY,
                "bolts", failing)).code());
        awaitIdle();
        assertEquals(2, calls.get());
    }

    @Test
    void aReconfigurationForgetsFailures() throws Exception {
        EngineCache cache = new EngineCache(dir);
        assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", () -> {
            throw new IllegalStateException("builder crashed");
        }));
        awaitIdle();
        InferenceException e = assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts",
                () -> ENGINE));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code(), "a crash is the backend's fault");
        assertTrue(e.getMessage().contains("builder crashed"), e.getMessage());
        builds.forgetFailures();
        assertEquals(ErrorCode.NOT_READY, assertThrows(InferenceException.class, () -> builds.engine(cache, KEY,
                "bolts", () -> ENGINE)).code());
        awaitIdle();
        assertArrayEquals(ENGINE, builds.engine(cache, KEY, "bolts", () -> ENGINE));
    }

    @Test
    void anEngineThatCannotBeWrittenIsKeptInMemory() throws Exception {
        Path notADir = Files.writeString(dir.resolve("occupied"), "a file where the cache folder should be");
        EngineCache cache = new EngineCache(notADir);
        try (LogRecorder log = new LogRecorder(EngineBuilds.class)) {
            assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", () -> ENGINE));
            awaitIdle();
            assertArrayEquals(ENGINE, builds.engine(cache, KEY, "bolts", () -> {
                throw new AssertionError("must not build again");
            }));
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains("kept in memory only")), log.warnings().toString());
        }
    }

    @Test
    void anEngineFinishedWhileStoppingIsStillWritten() throws Exception {
        EngineCache cache = new EngineCache(dir);
        CountDownLatch started = new CountDownLatch(1);
        assertThrows(InferenceException.class, () -> builds.engine(cache, KEY, "bolts", () -> {
            started.countDown();
            await(new CountDownLatch(1)); // returns when close() interrupts, with the flag set again
            return ENGINE;
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        builds.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(cache.file(KEY)) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertArrayEquals(ENGINE, cache.read(KEY).orElseThrow());
    }

    @Test
    void afterCloseNoBuildStarts() {
        builds.close();
        InferenceException e = assertThrows(InferenceException.class, () -> builds.engine(new EngineCache(dir), KEY,
                "bolts", () -> ENGINE));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.running() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("build did not finish");
            }
            Thread.sleep(5);
        }
        Thread.sleep(20); // the builder thread logs after updating the state
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
