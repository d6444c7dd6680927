package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and checking the configuration. */
class BackendOptionsTest {
    @Test
    void noConfigurationGivesTheDefaults() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of()));
        assertEquals(BackendOptions.DEFAULTS, o);
        assertEquals(30, o.rank());
        assertEquals("CPU", o.device());
        assertEquals("", o.deviceError());
        assertNull(o.cacheDir());
        assertEquals(PerformanceHint.LATENCY, o.hint());
        assertEquals(0, o.inferenceThreads());
    }

    @ParameterizedTest
    @CsvSource({"cpu, CPU", "GPU, GPU", " gpu.1 , GPU.1", "npu, NPU", "AUTO, AUTO"})
    void deviceNamesAreReadInOpenVinosSpelling(String configured, String device) {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("device", configured)));
        assertEquals(device, o.device());
        assertEquals("", o.deviceError());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GPUU", "HETERO:GPU,CPU", "MYRIAD", "gpu.x", " "})
    void aBadDeviceNameIsAClearErrorNotAFallback(String configured) {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("device", configured)));
        assertEquals("", o.device());
        assertEquals("configuration com.factory.inspect.backend.openvino: device '" + configured
                + "' is not one of CPU, GPU, GPU.<n>, NPU, AUTO", o.deviceError());
    }

    @Test
    void otherBadValuesFallBackToTheirDefaults() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("rank", "high", "inference.threads", "-4",
                "performance.hint", "FASTEST", "cache.dir", "relative/cache")));
        assertEquals(30, o.rank());
        assertEquals(0, o.inferenceThreads());
        assertEquals(PerformanceHint.LATENCY, o.hint());
        assertNull(o.cacheDir(), "a relative cache folder would depend on the working folder");
    }

    @Test
    void readsEverySetting(@org.junit.jupiter.api.io.TempDir Path cache) {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("rank", "50", "device", "gpu",
                "cache.dir", cache + "/./ov", "library.path", " /opt/intel/openvino_2025/runtime/lib/intel64 ",
                "performance.hint", "THROUGHPUT", "inference.threads", "4")));
        assertEquals(new BackendOptions(50, "GPU", "", cache.resolve("ov"), "/opt/intel/openvino_2025/runtime/lib/intel64",
                PerformanceHint.THROUGHPUT, 4), o);
        assertEquals("hint THROUGHPUT, cache " + cache.resolve("ov"), o.settingsText(),
                "threads are a CPU setting");
    }

    @Test
    void theLibraryPathBecomesTheOnlyPlaceSearched() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("library.path", "/nowhere/lib")));
        assertEquals("libopenvino_c.so not found in /nowhere/lib (configured library path)",
                o.librarySearch().notFound());
    }

    @Test
    void describesCpuSettings() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("inference.threads", "2")));
        assertEquals("hint LATENCY, 2 inference threads", o.settingsText());
    }

    @Test
    void rejectsInconsistentValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new BackendOptions(1, "", "", null, "", PerformanceHint.LATENCY, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new BackendOptions(1, "CPU", "", Path.of("rel"), "", PerformanceHint.LATENCY, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new BackendOptions(1, "CPU", "", null, "", PerformanceHint.LATENCY, -1));
    }
}
