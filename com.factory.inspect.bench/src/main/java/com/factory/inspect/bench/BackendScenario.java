package com.factory.inspect.bench;

import com.factory.inspect.api.inference.InferenceBackend;
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
 * Every available backend on the same network: the conformance twin in the format each backend
 * takes (ONNX and TensorFlow Lite twins compute the same function). Latency is one thread, batch 1,
 * back to back; fps is {@code threads} threads sharing the loaded model.
 */
final class BackendScenario {

    private BackendScenario() {
    }

    static void run(List<InferenceBackend> backends, int seconds, int threads) throws Exception {
        List<InferenceBackend> ordered = new ArrayList<>(backends);
        ordered.sort(Comparator.comparing(InferenceBackend::id));
        for (InferenceBackend backend : ordered) {
            if (!backend.availability().available()) {
                System.out.printf(Locale.ROOT, "# backend %s skipped: %s%n", backend.id(), backend.availability());
                continue;
            }
            Optional<TwinModel> twin = TwinModel.carried().stream()
                    .filter(t -> backend.acceptedFormats().contains(t.descriptor().format())).findFirst();
            if (twin.isEmpty()) {
                System.out.printf(Locale.ROOT, "# backend %s skipped: no twin in %s%n", backend.id(),
                        backend.acceptedFormats());
                continue;
            }
            try (LoadedModel loaded = backend.load(twin.get())) {
                measure(backend.id(), twin.get(), loaded, seconds, threads);
            }
        }
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
