package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backend where TensorRT cannot run: what it says and that it never touches the model. */
class TensorRtBackendTest {
    private static final String MISSING = "libnvinfer.so.10 not found; " + NativeLibraries.NEEDS;

    @Test
    void describesItself() {
        TensorRtBackend backend = new TensorRtBackend(() -> TrtRuntime.failed(MISSING));
        backend.activate(BackendOptions.DEFAULTS);
        assertEquals("tensorrt", backend.id());
        assertEquals(100, backend.rank());
        assertEquals(Set.of(ModelFormat.ONNX), backend.acceptedFormats());
    }

    @Test
    void anUnavailableRuntimeIsReportedWithItsReason() {
        TensorRtBackend backend = new TensorRtBackend(() -> TrtRuntime.failed(MISSING));
        backend.activate(BackendOptions.DEFAULTS);
        Availability a = backend.availability();
        assertFalse(a.available());
        assertEquals(MISSING, a.reason());
    }

    @Test
    void loadFailsWithTheReasonBeforeReadingTheModel() {
        TensorRtBackend backend = new TensorRtBackend(() -> TrtRuntime.failed(MISSING));
        backend.activate(BackendOptions.DEFAULTS);
        CountingSource model = new CountingSource(TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8));
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(model));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertEquals("BACKEND_UNAVAILABLE: " + MISSING, e.getMessage());
        assertEquals(0, model.reads.get());
    }

    @Test
    void otherFormatsAreRefusedNamingTheModel() {
        TensorRtBackend backend = new TensorRtBackend(() -> TrtRuntime.failed(MISSING));
        backend.activate(BackendOptions.DEFAULTS);
        ModelDescriptor tflite = TestModels.descriptor(TestModels.TINY, TestModels.DYNAMIC_8X8, ModelFormat.TFLITE);
        InferenceException e = assertThrows(InferenceException.class, () -> backend.load(
                new TestModels.ResourceModelSource(TestModels.TINY, tflite)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
        assertTrue(e.getMessage().contains("tiny-classifier:1.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("tflite"), e.getMessage());
    }

    @Test
    void aProbeThatThrowsIsReportedNotThrown() {
        TensorRtBackend backend = new TensorRtBackend(() -> {
            throw new NoClassDefFoundError("org/bytedeco/tensorrt/global/nvinfer");
        });
        backend.activate(BackendOptions.DEFAULTS);
        Availability a = backend.availability();
        assertFalse(a.available());
        assertTrue(a.reason().contains("NoClassDefFoundError"), a.reason());
    }

    /**
     * The real probe on a machine without TensorRT, CUDA 12, cuDNN 9 and the NVIDIA driver (the build
     * machine): every library is named, TensorRT's first.
     */
    @Test
    void onAMachineWithoutAnyOfTheLibrariesTheRealProbeNamesThemAll() throws Exception {
        List<String> present = presentLibraries();
        assumeTrue(present.isEmpty(), "this machine has some of the libraries (" + present + "); the exact reason "
                + "for a machine with none of them cannot be checked here");
        TensorRtBackend backend = new TensorRtBackend();
        backend.activate(BackendOptions.DEFAULTS);
        Availability a = backend.availability();
        assertFalse(a.available());
        assertEquals("libnvinfer.so.10 not found; also missing: libnvonnxparser.so.10, libnvinfer_plugin.so.10, "
                + "libcuda.so.1, libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libnvrtc.so.12, "
                + "libcudnn_graph.so.9, libcudnn_ops.so.9, libcudnn_cnn.so.9, libcudnn_adv.so.9; the TensorRT backend "
                + "needs TensorRT 10, CUDA 12 and cuDNN 9 with the NVIDIA driver (JetPack 6.1 or newer)", a.reason());
        assertEquals(a, backend.availability(), "probed once, reported the same every time");
    }

    /**
     * Which of the required libraries the dynamic linker's cache or {@code LD_LIBRARY_PATH} offers:
     * found without loading them, so the test does not share the code it checks.
     */
    private static List<String> presentLibraries() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/sbin/ldconfig")), "no /sbin/ldconfig to list the linker's cache");
        Process p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
        String cache = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String ldPath = System.getenv().getOrDefault("LD_LIBRARY_PATH", "");
        List<String> present = new ArrayList<>();
        for (NativeLibraries.Library lib : NativeLibraries.REQUIRED) {
            boolean inPath = false;
            for (String dir : ldPath.split(":")) {
                inPath |= !dir.isEmpty() && Files.exists(Path.of(dir, lib.file()));
            }
            if (inPath || cache.contains(lib.file() + " ")) {
                present.add(lib.file());
            }
        }
        return present;
    }

    /** Counts reads of the model file. */
    private record CountingSource(ModelSource delegate, AtomicInteger reads) implements ModelSource {
        CountingSource(ModelSource delegate) {
            this(delegate, new AtomicInteger());
        }

        @Override
        public ModelDescriptor descriptor() {
            return delegate.descriptor();
        }

        @Override
        public byte[] readModel() throws InferenceException {
            reads.incrementAndGet();
            return delegate.readModel();
        }

        @Override
        public String origin() {
            return delegate.origin();
        }
    }
}
