package com.factory.inspect.lib.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Status codes of the C API and the messages failures carry. */
class OvStatusTest {
    @Test
    void codesMatchTheCHeader() {
        assertEquals(0, OvStatus.OK.code());
        assertEquals(-1, OvStatus.GENERAL_ERROR.code());
        assertEquals(-5, OvStatus.NOT_FOUND.code());
        assertEquals(-8, OvStatus.REQUEST_BUSY.code());
        assertEquals(-13, OvStatus.INFER_CANCELLED.code());
        assertEquals(-14, OvStatus.INVALID_C_PARAM.code());
        assertEquals(-17, OvStatus.UNKNOW_EXCEPTION.code());
        // 0 to -17 without gaps, in order
        int[] codes = Arrays.stream(OvStatus.values()).mapToInt(OvStatus::code).toArray();
        for (int i = 0; i < codes.length; i++) {
            assertEquals(-i, codes[i]);
        }
    }

    @Test
    void everyCodeMapsBackToItsConstant() {
        for (OvStatus s : OvStatus.values()) {
            assertSame(s, OvStatus.of(s.code()));
        }
        assertNull(OvStatus.of(-18));
        assertNull(OvStatus.of(3));
    }

    @Test
    void describesKnownAndUnknownCodes() {
        assertEquals("GENERAL_ERROR (-1)", OvStatus.describe(-1));
        assertEquals("INVALID_C_PARAM (-14)", OvStatus.describe(-14));
        assertEquals("status -42", OvStatus.describe(-42));
    }

    @Test
    void anExceptionNamesFunctionStatusAndOpenVinosText() {
        OpenVinoException e = new OpenVinoException("ov_core_compile_model", -1,
                "Exception from src/inference/src/cpp/core.cpp:121:\n  Device with \"GPU\" name is not registered\n");
        assertEquals("ov_core_compile_model failed with GENERAL_ERROR (-1): Exception from "
                + "src/inference/src/cpp/core.cpp:121: | Device with \"GPU\" name is not registered", e.getMessage());
        assertEquals("ov_core_compile_model", e.function());
        assertEquals(-1, e.status());
        assertSame(OvStatus.GENERAL_ERROR, e.statusConstant());
    }

    @Test
    void anExceptionWithoutTextStillSaysWhatFailed() {
        OpenVinoException e = new OpenVinoException("ov_infer_request_infer", -8, "  ");
        assertEquals("ov_infer_request_infer failed with REQUEST_BUSY (-8)", e.getMessage());
        assertEquals("ov_shape_create failed with status -99: x",
                new OpenVinoException("ov_shape_create", -99, "x").getMessage());
    }
}
