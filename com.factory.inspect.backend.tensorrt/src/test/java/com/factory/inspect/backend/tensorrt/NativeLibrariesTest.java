package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {

    @Test
    void aMissingLibraryIsNamedAsNotFound() {
        assertEquals("libnvinfer.so.10 not found", NativeLibraries.describe("libnvinfer.so.10",
                "libnvinfer.so.10: cannot open shared object file: No such file or directory"));
    }

    @Test
    void aLibraryWhoseDependencyIsMissingNamesTheDependency() {
        assertEquals("libnvinfer.so.10 needs libcudart.so.12, which is not found", NativeLibraries.describe(
                "libnvinfer.so.10", "libcudart.so.12: cannot open shared object file: No such file or directory"));
    }

    @Test
    void otherLinkerErrorsAreQuoted() {
        assertEquals("libnvinfer.so.10 could not be loaded: /usr/lib/libnvinfer.so.10: undefined symbol: cudaFoo",
                NativeLibraries.describe("libnvinfer.so.10", "/usr/lib/libnvinfer.so.10: undefined symbol: cudaFoo"));
    }

    @Test
    void theReasonNamesTheFirstAndListsTheRest() {
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("libnvinfer.so.10", "libnvinfer.so.10: cannot open shared object file: No such file or directory");
        failures.put("libcuda.so.1", "libcuda.so.1: cannot open shared object file: No such file or directory");
        failures.put("libcudart.so.12", "libcudart.so.12: cannot open shared object file: No such file or directory");
        assertEquals("libnvinfer.so.10 not found; also missing: libcuda.so.1, libcudart.so.12; "
                + NativeLibraries.NEEDS, NativeLibraries.reason(failures));
    }

    @Test
    void oneFailureAloneHasNoAlsoMissing() {
        assertEquals("libcuda.so.1 not found; " + NativeLibraries.NEEDS, NativeLibraries.reason(Map.of("libcuda.so.1",
                "libcuda.so.1: cannot open shared object file: No such file or directory")));
    }

    @Test
    void noFailureIsNoReason() {
        assertThrows(IllegalArgumentException.class, () -> NativeLibraries.reason(Map.of()));
    }

    @Test
    void tensorRtComesFirstInTheProbeOrder() {
        assertEquals("libnvinfer.so.10", NativeLibraries.REQUIRED.get(0).file());
    }
}
