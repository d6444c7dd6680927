package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache file handling; the engine bytes are arbitrary (no TensorRT involved). */
class EngineCacheTest {
    private static final EngineKey KEY = new EngineKey("bolts", "1.0.0", "c".repeat(64), "10.3.0", "Orin", "sm_87",
            Precision.FP16, new BatchProfile(1, 1, 8));
    private static final EngineKey OTHER = new EngineKey("bolts", "1.0.0", "c".repeat(64), "10.3.0", "Orin", "sm_87",
            Precision.FP32, new BatchProfile(1, 1, 8));
    private static final byte[] ENGINE = "serialized engine bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void whatWasWrittenIsReadBack() throws IOException {
        EngineCache cache = new EngineCache(dir.resolve("engines"));
        cache.write(KEY, ENGINE);
        assertArrayEquals(ENGINE, cache.read(KEY).orElseThrow());
        assertEquals(dir.resolve("engines").resolve(KEY.fileName()), cache.file(KEY));
        try (Stream<Path> files = Files.list(dir.resolve("engines"))) {
            assertEquals(List.of(cache.file(KEY)), files.toList(), "no temporary files left behind");
        }
    }

    @Test
    void aMissingFileIsNoEngineAndNoWarning() {
        try (LogRecorder log = new LogRecorder(EngineCache.class)) {
            assertEquals(Optional.empty(), new EngineCache(dir).read(KEY));
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void writingAgainReplacesTheEngine() throws IOException {
        EngineCache cache = new EngineCache(dir);
        cache.write(KEY, ENGINE);
        byte[] rebuilt = "another build".getBytes(StandardCharsets.US_ASCII);
        cache.write(KEY, rebuilt);
        assertArrayEquals(rebuilt, cache.read(KEY).orElseThrow());
    }

    @Test
    void aFileForAnotherKeyUnderTheSameNameIsDiscardedWithALogLine() throws IOException {
        EngineCache cache = new EngineCache(dir);
        Files.write(cache.file(KEY), EngineCache.encode(OTHER, ENGINE)); // e.g. a hash-prefix collision
        assertUnusable(cache, "built for another key");
    }

    @Test
    void aTruncatedFileIsDiscarded() throws IOException {
        EngineCache cache = new EngineCache(dir);
        byte[] whole = EngineCache.encode(KEY, ENGINE);
        Files.write(cache.file(KEY), Arrays.copyOf(whole, whole.length - 10));
        assertUnusable(cache, "does not fit");
    }

    @Test
    void aFileCutInsideItsHeaderIsDiscarded() throws IOException {
        EngineCache cache = new EngineCache(dir);
        Files.write(cache.file(KEY), Arrays.copyOf(EngineCache.encode(KEY, ENGINE), 20));
        assertUnusable(cache, "");
    }

    @Test
    void aDamagedEngineIsCaughtByItsChecksum() throws IOException {
        EngineCache cache = new EngineCache(dir);
        byte[] file = EngineCache.encode(KEY, ENGINE);
        file[file.length - 40] ^= 0x01; // inside the engine bytes
        Files.write(cache.file(KEY), file);
        assertUnusable(cache, "SHA-256");
    }

    @Test
    void aForeignFileIsDiscarded() throws IOException {
        EngineCache cache = new EngineCache(dir);
        Files.writeString(cache.file(KEY), "a plan file written by trtexec, not by this backend");
        assertUnusable(cache, "not an engine cache file");
    }

    @Test
    void aFileOfAnotherFormatVersionIsDiscarded() throws IOException {
        EngineCache cache = new EngineCache(dir);
        byte[] file = EngineCache.encode(KEY, ENGINE);
        file[EngineCache.MAGIC.length + 3] = 9;
        Files.write(cache.file(KEY), file);
        assertUnusable(cache, "format 9");
    }

    @Test
    void discardRemovesTheFileAndSaysWhy() throws IOException {
        EngineCache cache = new EngineCache(dir);
        cache.write(KEY, ENGINE);
        try (LogRecorder log = new LogRecorder(EngineCache.class)) {
            cache.discard(KEY, "TensorRT 10.3.0 did not accept the engine");
            assertFalse(Files.exists(cache.file(KEY)));
            assertTrue(log.warnings().get(0).contains("did not accept"), log.warnings().toString());
        }
    }

    @Test
    void writingIntoAFileWhereAFolderShouldBeFails() throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        EngineCache cache = new EngineCache(notADir);
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> cache.write(KEY, ENGINE));
    }

    private static void assertUnusable(EngineCache cache, String problem) {
        try (LogRecorder log = new LogRecorder(EngineCache.class)) {
            assertEquals(Optional.empty(), cache.read(KEY));
            assertFalse(Files.exists(cache.file(KEY)), "deleted, so the engine is built again");
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            String line = log.warnings().get(0);
            assertTrue(line.contains(cache.file(KEY).toString()) && line.contains("not usable")
                    && line.contains(problem) && line.contains("building the engine for bolts:1.0.0"), line);
        }
    }
}
