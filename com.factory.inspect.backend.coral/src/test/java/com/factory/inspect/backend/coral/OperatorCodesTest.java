package com.factory.inspect.backend.coral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading operator codes from the twin models' flatbuffers. */
class OperatorCodesTest {
    private static final int CONV_2D = 3;
    private static final int DEQUANTIZE = 6;
    private static final int FULLY_CONNECTED = 9;
    private static final int SOFTMAX = 25;
    private static final int CUSTOM = 32;
    private static final int MEAN = 40;
    private static final int QUANTIZE = 114;

    @Test
    void readsTheBuiltinOperatorsOfTheTwin() {
        OperatorCodes codes = OperatorCodes.read(TwinModels.bytes(TwinModels.TWIN));
        assertEquals(List.of(CONV_2D, MEAN, FULLY_CONNECTED, SOFTMAX), codes.builtin());
        assertEquals(List.of("", "", "", ""), codes.custom());
        assertFalse(codes.needsEdgeTpu());
    }

    @Test
    void readsCodesAbove127FromTheirIntField() {
        OperatorCodes codes = OperatorCodes.read(TwinModels.bytes(TwinModels.UINT8));
        assertEquals(List.of(DEQUANTIZE, CONV_2D, MEAN, FULLY_CONNECTED, SOFTMAX, QUANTIZE), codes.builtin());
    }

    @Test
    void findsTheEdgeTpuOperator() {
        OperatorCodes codes = OperatorCodes.read(TwinModels.bytes(TwinModels.EDGETPU));
        assertEquals(List.of(CUSTOM), codes.builtin());
        assertEquals(List.of("edgetpu-custom-op"), codes.custom());
        assertTrue(codes.needsEdgeTpu());
    }

    @Test
    void refusesBytesThatPointOutside() {
        byte[] truncated = Arrays.copyOf(TwinModels.bytes(TwinModels.TWIN), 40);
        assertThrows(IllegalArgumentException.class, () -> OperatorCodes.read(truncated));
        assertThrows(IllegalArgumentException.class, () -> OperatorCodes.read(new byte[] {-1, -1, -1, 127, 0, 0}));
    }
}
