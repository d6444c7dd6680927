package com.factory.inspect.backend.coral;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.factory.inspect.api.inference.LoadedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Prints what the pool size does to throughput and latency when several threads share one model;
 * asserts nothing. Surefire's default includes leave it out; run it with {@code mvn -pl
 * com.factory.inspect.backend.coral test -Dtest=InterpreterPoolBenchmark -Dinspect.benchmark=true}. Measures the
 * twin (batch 1, about 8 µs of XNNPACK work, so copying and waiting show) and, at batch 64, a load
 * where the interpreter's own work dominates.
 */
class InterpreterPoolBenchmark {
    private static final int THREADS = 4;
    private static final long RUN_NANOS = 2_000_000_000L;

    @Test
    void printsThroughputByPoolSize() throws Exception {
        assumeTrue(Boolean.getBoolean("inspect.benchmark"), "benchmark not requested");
        for (int batch : new int[] {1, 64}) {
            for (int interpreters : new int[] {1, 2, 4}) {
                measure(batch, interpreters);
            }
        }
    }

    private static void measure(int batch, int interpreters) throws Exception {
        TfLiteCpuBackend backend = new TfLiteCpuBackend();
        backend.activate(TestConfigs.cpu(Map.of("interpreters", interpreters)));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (LoadedModel model = backend.load(TwinModels.source(TwinModels.TWIN))) {
            float[] images = TwinModels.REFERENCE.batch(0, batch);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    FloatBuffer in = ByteBuffer.allocateDirect(images.length * 4).order(ByteOrder.nativeOrder())
                            .asFloatBuffer().put(images).flip();
                    FloatBuffer out = FloatBuffer.allocate(2 * batch);
                    for (int w = 0; w < 200; w++) {
                        out.clear();
                        model.infer(batch, in, out);
                    }
                    start.await();
                    long[] nanos = new long[1 << 20];
                    int n = 0;
                    long end = System.nanoTime() + RUN_NANOS;
                    while (System.nanoTime() < end && n < nanos.length) {
                        long s = System.nanoTime();
                        out.clear();
                        model.infer(batch, in, out);
                        nanos[n++] = System.nanoTime() - s;
                    }
                    return Arrays.copyOf(nanos, n);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> f : results) {
                long[] r = f.get();
                long[] merged = Arrays.copyOf(all, all.length + r.length);
                System.arraycopy(r, 0, merged, all.length, r.length);
                all = merged;
            }
            Arrays.sort(all);
            System.out.printf("benchmark: twin batch %d, %d threads, %d interpreter(s), %d cores: %.0f images/s, "
                    + "latency p50 %.1f µs, p99 %.1f µs%n", batch, THREADS, interpreters,
                    Runtime.getRuntime().availableProcessors(), all.length * (double) batch / (RUN_NANOS / 1e9),
                    all[all.length / 2] / 1e3, all[all.length * 99 / 100] / 1e3);
        } finally {
            pool.shutdownNow();
            backend.deactivate();
        }
    }
}
