package com.factory.inspect.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's command line.
 *
 * @param scenarios any of {@code steady}, {@code max}, {@code swap}, {@code backend}
 * @param model model name to run (a model bundle in the benchmark runtime)
 * @param cameras synthetic cameras
 * @param steadyFps frames per second per camera in {@code steady}
 * @param maxSteps frames per second per camera tried in turn by {@code max}
 * @param width camera frame width
 * @param height camera frame height
 * @param warmupSeconds seconds run before each measurement
 * @param seconds seconds measured per scenario step
 * @param workers gate worker threads (0: one per core, the gateway's default)
 * @param intraOpThreads ONNX Runtime intra-op threads per inference (the gateway's default is 1)
 * @param swaps model switches in the {@code swap} scenario
 * @param swapIntervalMillis pause between two switches (0: back to back)
 */
record BenchOptions(List<String> scenarios, String model, int cameras, double steadyFps, List<Double> maxSteps,
        int width, int height, int warmupSeconds, int seconds, int workers, int intraOpThreads, int swaps, long swapIntervalMillis) {

    static final String USAGE = String.join("\n",
            "usage: bench/run [--scenario steady|max|swap|backend|all (or a comma list)] [--seconds N] [--warmup N] [--model NAME]",
            "                 [--swaps N] [--swap-interval-ms N]",
            "                 [--cameras N] [--fps F] [--max-steps F,F,...] [--size WxH] [--workers N]",
            "                 [--intra-op-threads N]");

    static BenchOptions parse(List<String> args) {
        List<String> scenarios = List.of("steady", "max", "swap", "backend");
        String model = "mobilenetv3-small-bench";
        int cameras = 12;
        double fps = 5;
        List<Double> steps = List.of(10.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0);
        int width = 640;
        int height = 480;
        int warmup = 5;
        int seconds = 20;
        int workers = 0;
        int intraOpThreads = 1;
        int swaps = 200;
        long swapInterval = 500;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            i++;
            switch (a) {
                case "--scenario" -> scenarios = v.equals("all") ? List.of("steady", "max", "swap", "backend") : List.of(v.split(","));
                case "--swaps" -> swaps = Integer.parseInt(v);
                case "--swap-interval-ms" -> swapInterval = Long.parseLong(v);
                case "--model" -> model = v;
                case "--cameras" -> cameras = Integer.parseInt(v);
                case "--fps" -> fps = Double.parseDouble(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--workers" -> workers = Integer.parseInt(v);
                case "--intra-op-threads" -> intraOpThreads = Integer.parseInt(v);
                case "--max-steps" -> {
                    List<Double> s = new ArrayList<>();
                    for (String part : v.split(",")) {
                        s.add(Double.parseDouble(part.trim()));
                    }
                    steps = s;
                }
                case "--size" -> {
                    String[] wh = v.toLowerCase().split("x");
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        for (String s : scenarios) {
            if (!List.of("steady", "max", "swap", "backend").contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "\n" + USAGE);
            }
        }
        return new BenchOptions(scenarios, model, cameras, fps, steps, width, height, warmup, seconds, workers,
                intraOpThreads, swaps, swapInterval);
    }
}
