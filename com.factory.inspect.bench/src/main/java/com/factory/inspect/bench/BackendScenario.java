package com.factory.inspect.bench;

import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.conformance.TwinModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every available backend on the same network: the bench twin carried in this bundle (written by
 * {@code tools/models/make_twin_models.py}: four 3x3 stride-2 convolutions on a 224x224 image, about
 * 45 million multiply-adds, the same weights as ONNX and as TensorFlow Lite), in the format each
 * backend takes. Each backend's outputs for the reference images are first checked against the
 * reference computed in numpy; a backend that disagrees is reported and not timed. Latency is one
 * thread, batch 1, back to back; fps is {@code threads} threads sharing the loaded model.
 */
final class BackendScenario {

    /** Largest difference from the numpy reference, in probability, a backend may show. */
    static final double TOLERANCE = 1e-3;

    private BackendScenario() {
    }

    static void run(List<InferenceBackend> backends, int seconds, int threads) throws Exception {
        List<TwinModel> twins = benchTwins();
        List<InferenceBackend> ordered = new ArrayList<>(backends);
        ordered.sort(Comparator.comparing(InferenceBackend::id));
        for (InferenceBackend backend : ordered) {
            if (!backend.availability().available()) {
                System.out.printf(Locale.ROOT, "# backend %s skipped: %s%n", backend.id(), backend.availability());
                continue;
            }
            Optional<TwinModel> twin = TwinModel.acceptedBy(twins, backend);
            if (twin.isEmpty()) {
                System.out.printf(Locale.ROOT, "# backend %s skipped: no bench twin in %s%n", backend.id(),
                        backend.acceptedFormats());
                continue;
            }
            try (LoadedModel loaded = backend.load(twin.get())) {
                if (agrees(backend.id(), twin.get(), loaded)) {
                    measure(backend.id(), twin.get(), loaded, seconds, threads);
                }
            }
        }
    }

    /**
     * Runs every reference image through {@code loaded} (batch 1) and prints how far the outputs are
     * from the reference.
     *
     * @return whether they are all within {@link #TOLERANCE}
     */
    private static boolean agrees(String id, TwinModel twin, LoadedModel loaded) {
        double max = 0;
        try {
            FloatBuffer input = direct(twin.inputLength());
            FloatBuffer output = direct(twin.outputLength());
            for (int i = 0; i < twin.inputs().size(); i++) {
                input.clear();
                input.put(twin.inputs().get(i)).flip();
                output.clear();
                loaded.infer(1, input, output);
                float[] expected = twin.outputs().get(i);
                for (int k = 0; k < expected.length; k++) {
                    max = Math.max(max, Math.abs(output.get(k) - (double) expected[k])); // NaN stays NaN
                }
            }
        } catch (InferenceException e) {
            System.out.printf(Locale.ROOT, "# backend %s MISMATCH: the reference images failed (%s); figures "
                    + "skipped%n", id, e.getMessage());
            return false;
        }
        if (!(max <= TOLERANCE)) {
            System.out.printf(Locale.ROOT, "# backend %s MISMATCH: disagrees with the reference (max error %.3g > %.0e "
                    + "on %s); figures skipped%n", id, max, TOLERANCE, twin.descriptor().file());
            return false;
        }
        System.out.printf(Locale.ROOT, "# backend %s agrees with the reference (max error %.2g)%n", id, max);
        return true;
    }

    /** The bench twins carried in this bundle, one per format, with their reference. */
    static List<TwinModel> benchTwins() {
        return TwinModel.read(BackendScenario.class.getClassLoader(), "twin/", "bench-twin", "the benchmark bundle");
    }

    private static void measure(String id, TwinModel twin, LoadedModel loaded, int seconds, int threads)
            throws Exception {
        FloatBuffer input = direct(twin.inputLength()).put(twin.inputs().get(0));
        FloatBuffer output = direct(twin.outputLength());
        long[] nanos = new long[1_000_000];
        int n = 0;
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        long end = warmEnd + seconds * 500_000_000L;
        for (long now = System.nanoTime(); now < end && n < nanos.length; now = System.nanoTime()) {
            input.rewind();
            output.clear();
            loaded.infer(1, input, output);
            long took = System.nanoTime() - now;
            if (now >= warmEnd) {
                nanos[n++] = took;
            }
        }
        Arrays.sort(nanos, 0, n);
        double p50 = nanos[n / 2] / 1e6;
        double p99 = nanos[Math.min(n - 1, (int) (n * 0.99))] / 1e6;

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                FloatBuffer in = direct(twin.inputLength()).put(twin.inputs().get(0));
                FloatBuffer out = direct(twin.outputLength());
                try {
                    while (!stop.get()) {
                        in.rewind();
                        out.clear();
                        loaded.infer(1, in, out);
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    System.err.println("# backend " + id + " worker failed: " + e);
                }
            }, "inspect-bench-backend-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 500L);
        stop.set(true);
        long count = done.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Thread w : workers) {
            w.join();
        }
        System.out.printf(Locale.ROOT, "scenario=backend backend=%s model=%s p50_ms=%.3f p99_ms=%.3f fps=%.0f "
                + "threads=%d%n", id, twin.descriptor().coordinates() + "." + twin.descriptor().format(), p50, p99,
                count / elapsed, threads);
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
