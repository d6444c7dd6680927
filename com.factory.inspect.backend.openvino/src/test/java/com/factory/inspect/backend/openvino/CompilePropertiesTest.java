package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-value list a model is compiled with. */
class CompilePropertiesTest {
    @TempDir
    Path root;

    @Test
    void defaultsAskForLowLatencyOnly() {
        assertEquals(List.of("PERFORMANCE_HINT", "LATENCY"),
                CompileProperties.of(BackendOptions.DEFAULTS, Optional.empty()));
    }

    @Test
    void cpuGetsCacheHintAndThreads() {
        BackendOptions o = new BackendOptions(30, "CPU", "", root, "", PerformanceHint.THROUGHPUT, 4);
        assertEquals(List.of("CACHE_DIR", root.toString(), "PERFORMANCE_HINT", "THROUGHPUT",
                "INFERENCE_NUM_THREADS", "4"), CompileProperties.of(o, Optional.of(root)));
    }

    @Test
    void otherDevicesDoNotGetTheCpuThreadCount() {
        for (String device : List.of("GPU", "GPU.1", "NPU", "AUTO")) {
            BackendOptions o = new BackendOptions(30, device, "", null, "", PerformanceHint.LATENCY, 4);
            assertEquals(List.of("PERFORMANCE_HINT", "LATENCY"), CompileProperties.of(o, Optional.empty()), device);
        }
    }

    @Test
    void theDeviceDefaultHintPassesNoHint() {
        BackendOptions o = new BackendOptions(30, "CPU", "", null, "", PerformanceHint.DEVICE_DEFAULT, 0);
        assertEquals(List.of(), CompileProperties.of(o, Optional.empty()));
    }

    @Test
    void aMissingCacheFolderIsCreated() {
        Path cache = root.resolve("var/cache/openvino");
        assertEquals(Optional.of(cache), CompileProperties.usableCacheDir(cache));
        assertTrue(Files.isDirectory(cache));
    }

    @Test
    void anUnusableCacheFolderMeansNoCacheRatherThanAFailedLoad() throws IOException {
        Path file = Files.writeString(root.resolve("not-a-folder"), "x");
        assertEquals(Optional.empty(), CompileProperties.usableCacheDir(file));
        assertEquals(Optional.empty(), CompileProperties.usableCacheDir(file.resolve("below")));
        assertEquals(Optional.empty(), CompileProperties.usableCacheDir(null));
    }
}
