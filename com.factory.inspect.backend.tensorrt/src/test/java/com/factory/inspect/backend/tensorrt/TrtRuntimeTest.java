package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import org.junit.jupiter.api.Test;

class TrtRuntimeTest {

    @Test
    void tensorRt10VersionsAreDecoded() {
        assertEquals("10.3.0", TrtRuntime.version(100300)); // JetPack 6.1/6.2
        assertEquals("10.6.0", TrtRuntime.version(100600)); // the bindings
        assertEquals("10.15.1", TrtRuntime.version(101501));
    }

    @Test
    void cudaVersionsAreDecoded() {
        assertEquals("12.6", TrtRuntime.cudaVersion(12060));
        assertEquals("12.10", TrtRuntime.cudaVersion(12100));
        assertEquals("none", TrtRuntime.cudaVersion(0));
    }

    @Test
    void aFailedRuntimeRefusesItsLoggerWithTheReason() {
        TrtRuntime failed = TrtRuntime.failed("no CUDA device");
        assertFalse(failed.available());
        InferenceException e = assertThrows(InferenceException.class, failed::logger);
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertEquals("BACKEND_UNAVAILABLE: no CUDA device", e.getMessage());
    }
}
