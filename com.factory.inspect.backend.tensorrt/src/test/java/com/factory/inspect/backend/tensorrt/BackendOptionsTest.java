package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.backend.tensorrt.TensorRtBackend.PrecisionPolicy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendOptionsTest {
    private static final long MB = 1024L * 1024;

    @Test
    void noConfigurationGivesTheDefaults() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of()));
        assertEquals(BackendOptions.DEFAULTS, o);
        assertEquals(new BackendOptions(100, Path.of("var/tensorrt-engines"), PrecisionPolicy.AUTO, 256 * MB, 0, 1, 8, 2),
                o);
    }

    @Test
    void validValuesAreTaken() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("rank", "50", "engine.cache.dir",
                "/data/engines", "precision", "FP32", "workspace.mb", "1024", "device.index", "1", "batch.opt", "4",
                "batch.max", "16", "contexts", "3")));
        assertEquals(new BackendOptions(50, Path.of("/data/engines"), PrecisionPolicy.FP32, 1024 * MB, 1, 4, 16, 3), o);
    }

    @Test
    void valuesOutOfRangeFallBackToTheirDefaultWithAWarning() {
        try (LogRecorder log = new LogRecorder(BackendOptions.class)) {
            BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("workspace.mb", "0", "device.index", "-1",
                    "batch.max", "1000", "contexts", "0")));
            assertEquals(BackendOptions.DEFAULTS, o);
            assertEquals(4, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("workspace.mb = 0 is not 1..65536; using 256"),
                    log.warnings().toString());
        }
    }

    @Test
    void unreadableValuesFallBackToTheirDefault() {
        try (LogRecorder log = new LogRecorder(BackendOptions.class)) {
            BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("precision", "INT4", "rank", "high")));
            assertEquals(BackendOptions.DEFAULTS, o);
            assertEquals(2, log.warnings().size(), log.warnings().toString());
        }
    }

    @Test
    void aTunedBatchAboveTheLargestIsCappedToIt() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("batch.opt", "8", "batch.max", "4")));
        assertEquals(4, o.optBatch());
        assertEquals(4, o.maxBatch());
    }

    @Test
    void aBlankCacheFolderFallsBackToTheDefault() {
        BackendOptions o = BackendOptions.from(TestConfigs.config(Map.of("engine.cache.dir", "  ")));
        assertEquals(Path.of("var/tensorrt-engines"), o.engineCacheDir());
    }

    @Test
    void theRecordRefusesInconsistentOptions() {
        assertThrows(IllegalArgumentException.class, () -> new BackendOptions(1, Path.of("x"), PrecisionPolicy.AUTO,
                MB, 0, 4, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackendOptions(1, Path.of("x"), PrecisionPolicy.AUTO,
                MB, 0, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new BackendOptions(1, Path.of("x"), PrecisionPolicy.AUTO,
                0, 0, 1, 2, 1));
    }

    @Test
    void reconfiguringWithTheSameValuesKeepsTheOptions() {
        TensorRtBackend backend = new TensorRtBackend(() -> TrtRuntime.failed("no TensorRT here"));
        backend.activate(TestConfigs.config(Map.of("rank", "70")));
        BackendOptions before = backend.options();
        backend.modified(TestConfigs.config(Map.of("rank", "70")));
        assertTrue(before == backend.options(), "unchanged configuration is a no-op");
        backend.modified(TestConfigs.config(Map.of("rank", "80")));
        assertEquals(80, backend.rank());
        backend.deactivate();
    }
}
