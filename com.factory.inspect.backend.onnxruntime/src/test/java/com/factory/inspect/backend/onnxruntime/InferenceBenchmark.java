package com.factory.inspect.backend.onnxruntime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prints {@code OrtSession.run} latencies for benchmark notes; asserts nothing. Runs only when asked:
 * {@code mvn install -Dinspect.benchmark=true}. Measures the slow test model and, when present,
 * {@code com.factory.inspect.model.benchnet/src/main/resources/model/mobilenetv3-small-bench.onnx} (override with {@code -Dinspect.benchmark.model=}).
 */
class InferenceBenchmark {
    private static final int WARM_UP = 20;
    private static final int RUNS = 200;

    @Test
    void printsSessionRunLatencies() throws Exception {
        assumeTrue(Boolean.getBoolean("inspect.benchmark"), "benchmark not requested");
        OrtEnvironment env = OrtRuntime.get().environment();
        measure(env, "slow-classifier (test model)", TestModels.bytes(TestModels.SLOW));
        Path bench = Path.of(System.getProperty("inspect.benchmark.model", "../com.factory.inspect.model.benchnet/src/main/resources/model/mobilenetv3-small-bench.onnx"));
        if (Files.isRegularFile(bench)) {
            measure(env, bench.getFileName().toString(), Files.readAllBytes(bench));
        } else {
            System.out.println("benchmark: " + bench + " absent, skipped");
        }
    }

    private static void measure(OrtEnvironment env, String label, byte[] model) throws Exception {
        for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            BackendOptions options = new BackendOptions(10, threads, 1, OnnxRuntimeBackend.OptimizationLevel.ALL,
                    OnnxRuntimeBackend.ExecutionMode.SEQUENTIAL, true);
            try (OrtSession.SessionOptions so = options.sessionOptions();
                    OrtSession session = env.createSession(model, so)) {
                NodeInfo input = session.getInputInfo().values().iterator().next();
                long[] shape = ((TensorInfo) input.getInfo()).getShape();
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 1 ? 1 : shape[i];
                }
                int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                FloatBuffer data = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    data.put(i, (i % 251) / 251f);
                }
                long[] nanos = new long[RUNS];
                for (int r = -WARM_UP; r < RUNS; r++) {
                    long start = System.nanoTime();
                    try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape);
                            OrtSession.Result result = session.run(Map.of(input.getName(), tensor))) {
                        result.get(0);
                    }
                    if (r >= 0) {
                        nanos[r] = System.nanoTime() - start;
                    }
                }
                Arrays.sort(nanos);
                System.out.printf("benchmark: %s input %s, %d intra-op thread(s), %d cores: "
                        + "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, min %.3f ms (%d runs)%n", label,
                        Arrays.toString(shape), threads, Runtime.getRuntime().availableProcessors(),
                        nanos[RUNS / 2] / 1e6, nanos[RUNS * 9 / 10] / 1e6, nanos[RUNS * 99 / 100] / 1e6,
                        nanos[0] / 1e6, RUNS);
            }
        }
    }
}
