package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.backend.tensorrt.TensorRtBackend.PrecisionPolicy;
import org.junit.jupiter.api.Test;

class PrecisionTest {
    private static final GpuInfo ORIN = new GpuInfo(0, "Orin", 8, 7, 7L << 30, true);
    private static final GpuInfo TX2 = new GpuInfo(0, "NVIDIA Tegra X2", 6, 2, 8L << 30, true);
    private static final GpuInfo GTX_1080 = new GpuInfo(0, "GeForce GTX 1080", 6, 1, 8L << 30, false);
    private static final GpuInfo MAXWELL = new GpuInfo(0, "GeForce GTX 970", 5, 2, 4L << 30, false);

    @Test
    void autoUsesHalfPrecisionWhereTheGpuRunsItFast() {
        assertEquals(Precision.FP16, Precision.resolve(PrecisionPolicy.AUTO, false, ORIN));
        assertEquals(Precision.FP16, Precision.resolve(PrecisionPolicy.AUTO, false, TX2));
        assertEquals(Precision.FP32, Precision.resolve(PrecisionPolicy.AUTO, false, GTX_1080));
        assertEquals(Precision.FP32, Precision.resolve(PrecisionPolicy.AUTO, false, MAXWELL));
    }

    @Test
    void aQuantizedModelRunsInInt8WhereTheGpuHasIt() {
        assertEquals(Precision.INT8_FP16, Precision.resolve(PrecisionPolicy.AUTO, true, ORIN));
        assertEquals(Precision.INT8, Precision.resolve(PrecisionPolicy.AUTO, true, GTX_1080));
        assertEquals(Precision.FP16, Precision.resolve(PrecisionPolicy.AUTO, true, TX2), "TX2 has no fast INT8");
        assertEquals(Precision.FP32, Precision.resolve(PrecisionPolicy.AUTO, true, MAXWELL));
    }

    @Test
    void fp32PolicyKeepsOnlyTheModelsOwnInt8() {
        assertEquals(Precision.FP32, Precision.resolve(PrecisionPolicy.FP32, false, ORIN));
        assertEquals(Precision.INT8, Precision.resolve(PrecisionPolicy.FP32, true, ORIN));
    }

    @Test
    void builderFlagsFollowThePrecision() {
        assertFalse(Precision.FP32.fp16() || Precision.FP32.int8());
        assertTrue(Precision.FP16.fp16() && !Precision.FP16.int8());
        assertTrue(!Precision.INT8.fp16() && Precision.INT8.int8());
        assertTrue(Precision.INT8_FP16.fp16() && Precision.INT8_FP16.int8());
    }

    @Test
    void gpusAreDescribedByTheirArchitecture() {
        assertEquals("sm_87", ORIN.architecture());
        assertEquals("0 Orin (sm_87, 7.0 GiB shared)", ORIN.describe());
        assertEquals("0 GeForce GTX 1080 (sm_61, 8.0 GiB)", GTX_1080.describe());
    }
}
