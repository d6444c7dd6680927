package com.factory.inspect.conformance;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same checks for every backend: what {@link InferenceBackend} and {@link LoadedModel} promise,
 * run on a twin model in a format the backend accepts. Checks never stop at the first failure, so a
 * vendor sees everything that is wrong in one run.
 */
public final class ConformanceSuite {

    /** Largest batch tried (models with a fixed batch get only theirs). */
    public static final int MAX_BATCH = 4;
    static final int THREADS = 4;
    static final int INFERENCES_PER_THREAD = 25;
    /** How long a backend may prepare a model (answer NOT_READY, e.g. a TensorRT engine build). */
    static final long PREPARE_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(20);

    private ConformanceSuite() {
    }

    /**
     * Output tolerance for a backend's numeric precision: {@code fp32} (default), {@code fp16} or
     * {@code int8}.
     */
    public static double tolerance(String precision) {
        return switch (precision == null ? "fp32" : precision.toLowerCase(Locale.ROOT)) {
            case "fp16" -> 1e-2;
            case "int8" -> 5e-2;
            default -> 1e-4;
        };
    }

    /**
     * Runs the suite on {@code backend} with the first carried twin it accepts; skipped (no checks)
     * when the backend is unavailable or accepts none of the twins' formats.
     */
    public static ConformanceReport run(InferenceBackend backend, String precision) {
        Availability availability = backend.availability();
        if (!availability.available()) {
            return new ConformanceReport(backend.id(), availability.toString(), "", List.of());
        }
        Optional<TwinModel> twin = TwinModel.acceptedBy(TwinModel.carried(), backend);
        if (twin.isEmpty()) {
            return new ConformanceReport(backend.id(), "accepts " + backend.acceptedFormats()
                    + ", no conformance twin in those formats", "", List.of());
        }
        return run(backend, twin.get(), tolerance(precision));
    }

    /** Runs every check on {@code backend} with {@code twin}, outputs compared within {@code tolerance}. */
    public static ConformanceReport run(InferenceBackend backend, TwinModel twin, double tolerance) {
        List<CheckResult> checks = new ArrayList<>();
        String model = twin.descriptor().coordinates() + " (" + twin.descriptor().format() + ")";
        long start = System.nanoTime();
        LoadedModel loaded;
        try {
            loaded = loadWhenReady(backend, twin);
        } catch (InferenceException | RuntimeException e) {
            checks.add(CheckResult.fail("load", describe(e)));
            return new ConformanceReport(backend.id(), backend.availability().toString(), model, checks);
        }
        try {
            checks.add(backend.id().equals(loaded.backendId())
                    ? CheckResult.pass("load", String.format(Locale.ROOT, "%.1f ms incl. preparation and warm-up",
                            millis(start)))
                    : CheckResult.fail("load", "loaded model says backend '" + loaded.backendId() + "'"));
            checks.add(specs(loaded, twin));
            checks.add(batches(loaded, twin, tolerance));
            checks.add(concurrent(loaded, twin, tolerance));
            checks.add(badInput(loaded, twin));
        } finally {
            checks.add(closeInFlight(loaded, twin));
        }
        checks.add(refused(backend, "wrong shape refused", ErrorCode.SHAPE_MISMATCH, withInputHeight(twin)));
        checks.add(refused(backend, "checksum mismatch passed on", ErrorCode.CHECKSUM_MISMATCH, withChecksum(twin)));
        checks.add(refused(backend, "corrupt model refused", null, corrupt(twin)));
        return new ConformanceReport(backend.id(), backend.availability().toString(), model, checks);
    }

    private static CheckResult specs(LoadedModel loaded, TwinModel twin) {
        long in = loaded.inputSpec().elementsPerItem();
        long out = loaded.outputSpec().elementsPerItem();
        String seen = "input " + loaded.inputSpec().shape() + ", output " + loaded.outputSpec().shape();
        return in == twin.inputLength() && out == twin.outputLength()
                ? CheckResult.pass("shapes", seen)
                : CheckResult.fail("shapes", seen + "; expected " + twin.inputLength() + " and " + twin.outputLength()
                        + " elements per item");
    }

    private static CheckResult batches(LoadedModel loaded, TwinModel twin, double tolerance) {
        int fixed = twin.descriptor().inputShape().get(0);
        int from = fixed > 0 ? fixed : 1;
        int to = fixed > 0 ? fixed : MAX_BATCH;
        double worst = 0;
        for (int batch = from; batch <= to; batch++) {
            FloatBuffer input = direct(batch * twin.inputLength());
            float[] expected = new float[batch * twin.outputLength()];
            for (int i = 0; i < batch; i++) {
                int r = (batch + i) % twin.inputs().size();
                input.put(twin.inputs().get(r));
                System.arraycopy(twin.outputs().get(r), 0, expected, i * twin.outputLength(), twin.outputLength());
            }
            input.flip();
            FloatBuffer output = direct(expected.length + 3);
            output.position(3);
            try {
                loaded.infer(batch, input, output);
            } catch (InferenceException | RuntimeException e) {
                return CheckResult.fail("batch " + from + ".." + to, "batch " + batch + ": " + describe(e));
            }
            if (output.position() != 3 + expected.length) {
                return CheckResult.fail("batch " + from + ".." + to, "batch " + batch + ": output position "
                        + output.position() + ", expected " + (3 + expected.length) + " (3 + outputs)");
            }
            for (int i = 0; i < expected.length; i++) {
                double error = Math.abs(output.get(3 + i) - expected[i]);
                if (!(error <= tolerance)) {
                    return CheckResult.fail("batch " + from + ".." + to, String.format(Locale.ROOT,
                            "batch %d output %d: %.6f, reference %.6f (tolerance %.0e)", batch, i,
                            output.get(3 + i), expected[i], tolerance));
                }
                worst = Math.max(worst, error);
            }
        }
        return CheckResult.pass("batch " + from + ".." + to,
                String.format(Locale.ROOT, "agrees with the reference, max error %.1e (tolerance %.0e)", worst, tolerance));
    }

    private static CheckResult concurrent(LoadedModel loaded, TwinModel twin, double tolerance) {
        String name = THREADS + " threads x " + INFERENCES_PER_THREAD;
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int reference = t % twin.inputs().size();
            Thread thread = new Thread(() -> {
                FloatBuffer input = direct(twin.inputLength());
                FloatBuffer output = direct(twin.outputLength());
                float[] expected = twin.outputs().get(reference);
                try {
                    go.await();
                    for (int i = 0; i < INFERENCES_PER_THREAD; i++) {
                        input.clear();
                        input.put(twin.inputs().get(reference)).flip();
                        output.clear();
                        loaded.infer(1, input, output);
                        for (int k = 0; k < expected.length; k++) {
                            if (!(Math.abs(output.get(k) - expected[k]) <= tolerance)) {
                                problems.add("reference " + reference + " output " + k + ": " + output.get(k)
                                        + ", expected " + expected[k]);
                                return;
                            }
                        }
                    }
                } catch (InferenceException | RuntimeException | InterruptedException e) {
                    problems.add(describe(e));
                }
            }, "inspect-conformance-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long start = System.nanoTime();
        go.countDown();
        if (!joinAll(threads, 60)) {
            return CheckResult.fail(name, "threads still running after 60 s");
        }
        return problems.isEmpty()
                ? CheckResult.pass(name, String.format(Locale.ROOT, "all outputs agree (%.0f ms)", millis(start)))
                : CheckResult.fail(name, problems.peek());
    }

    private static CheckResult badInput(LoadedModel loaded, TwinModel twin) {
        List<String> problems = new ArrayList<>();
        expectBadInput(problems, "batch 0", () -> loaded.infer(0, direct(twin.inputLength()), direct(twin.outputLength())));
        FloatBuffer short1 = direct(twin.inputLength() - 1);
        expectBadInput(problems, "input one float short", () -> loaded.infer(1, short1, direct(twin.outputLength())));
        FloatBuffer full = direct(twin.inputLength());
        expectBadInput(problems, "output too small", () -> loaded.infer(1, full, direct(twin.outputLength() - 1)));
        return problems.isEmpty()
                ? CheckResult.pass("bad input", "batch 0, short input and short output refused with BAD_INPUT")
                : CheckResult.fail("bad input", String.join("; ", problems));
    }

    private interface Inference {
        void run() throws InferenceException;
    }

    private static void expectBadInput(List<String> problems, String what, Inference inference) {
        try {
            inference.run();
            problems.add(what + " was accepted");
        } catch (InferenceException e) {
            if (e.code() != ErrorCode.BAD_INPUT) {
                problems.add(what + ": " + describe(e) + " instead of BAD_INPUT");
            }
        } catch (RuntimeException e) {
            problems.add(what + ": " + describe(e) + " instead of BAD_INPUT");
        }
    }

    /** Closes while threads infer: each inference completes correctly or is refused with CLOSED. */
    private static CheckResult closeInFlight(LoadedModel loaded, TwinModel twin) {
        String name = "close while in flight";
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicBoolean refused = new AtomicBoolean();
        AtomicBoolean giveUp = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                FloatBuffer input = direct(twin.inputLength());
                FloatBuffer output = direct(twin.outputLength());
                while (!giveUp.get()) {
                    input.clear();
                    input.put(twin.inputs().get(0)).flip();
                    output.clear();
                    try {
                        loaded.infer(1, input, output);
                        completed.incrementAndGet();
                    } catch (InferenceException e) {
                        if (e.code() != ErrorCode.CLOSED) {
                            problems.add(describe(e) + " instead of CLOSED");
                        }
                        refused.set(true);
                        return;
                    } catch (RuntimeException e) {
                        problems.add(describe(e));
                        return;
                    }
                }
            }, "inspect-conformance-close-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (completed.get() < 10 && System.nanoTime() < deadline && problems.isEmpty()) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        try {
            loaded.close();
            loaded.close();
        } catch (RuntimeException e) {
            problems.add("close: " + describe(e));
        }
        double closeMillis = millis(start);
        if (!joinAll(threads, 5)) {
            giveUp.set(true);
            return CheckResult.fail(name, "inference still accepted 5 s after close returned");
        }
        try {
            loaded.infer(1, direct(twin.inputLength()), direct(twin.outputLength()));
            problems.add("infer after close was accepted");
        } catch (InferenceException e) {
            if (e.code() != ErrorCode.CLOSED) {
                problems.add("infer after close: " + describe(e) + " instead of CLOSED");
            }
        }
        if (!refused.get() && problems.isEmpty()) {
            problems.add("no in-flight thread saw CLOSED");
        }
        return problems.isEmpty()
                ? CheckResult.pass(name, String.format(Locale.ROOT,
                        "%d inferences completed, the rest refused with CLOSED; close took %.1f ms", completed.get(),
                        closeMillis))
                : CheckResult.fail(name, problems.peek());
    }

    private static CheckResult refused(InferenceBackend backend, String name, ErrorCode expected, ModelSource bad) {
        try (LoadedModel unexpected = loadWhenReady(backend, bad)) {
            return CheckResult.fail(name, "loaded " + bad.origin());
        } catch (InferenceException e) {
            return expected == null || e.code() == expected
                    ? CheckResult.pass(name, describe(e))
                    : CheckResult.fail(name, describe(e) + " instead of " + expected);
        } catch (RuntimeException e) {
            return CheckResult.fail(name, "unchecked " + describe(e));
        }
    }

    /** Loads, waiting while the backend says it is still preparing the model. */
    private static LoadedModel loadWhenReady(InferenceBackend backend, ModelSource model) throws InferenceException {
        long deadline = System.nanoTime() + PREPARE_TIMEOUT_NANOS;
        while (true) {
            try {
                return backend.load(model);
            } catch (InferenceException e) {
                if (e.code() != ErrorCode.NOT_READY || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InferenceException(ErrorCode.NOT_READY, "interrupted while " + backend.id() + " prepared "
                        + model.origin());
            }
        }
    }

    private static ModelSource withInputHeight(TwinModel twin) {
        ModelDescriptor d = twin.descriptor();
        List<Integer> shape = new ArrayList<>(d.inputShape());
        shape.set(2, shape.get(2) + 1);
        return source(twin, new ModelDescriptor(d.name(), d.version(), d.format(), d.file(), shape, d.inputLayout(),
                d.preprocessing(), d.outputLabels(), d.defectIndex(), d.threshold(), d.sha256()), twin.model());
    }

    /** A source whose file no longer matches its checksum: its readModel says so, as the API requires. */
    private static ModelSource withChecksum(TwinModel twin) {
        return new ModelSource() {
            @Override
            public ModelDescriptor descriptor() {
                return twin.descriptor();
            }

            @Override
            public byte[] readModel() throws InferenceException {
                throw new InferenceException(ErrorCode.CHECKSUM_MISMATCH, origin() + ": SHA-256 differs from the "
                        + "descriptor's " + twin.descriptor().sha256());
            }

            @Override
            public String origin() {
                return twin.origin() + ", altered by the conformance suite";
            }
        };
    }

    /** The twin's bytes cut in half, with a descriptor whose checksum matches them. */
    private static ModelSource corrupt(TwinModel twin) {
        ModelDescriptor d = twin.descriptor();
        byte[] half = java.util.Arrays.copyOf(twin.model(), twin.model().length / 2);
        return source(twin, new ModelDescriptor(d.name(), d.version(), d.format(), d.file(), d.inputShape(),
                d.inputLayout(), d.preprocessing(), d.outputLabels(), d.defectIndex(), d.threshold(), sha256(half)),
                half);
    }

    private static ModelSource source(TwinModel twin, ModelDescriptor descriptor, byte[] bytes) {
        return new ModelSource() {
            @Override
            public ModelDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public byte[] readModel() {
                return bytes.clone();
            }

            @Override
            public String origin() {
                return twin.origin() + ", altered by the conformance suite";
            }
        };
    }

    private static String sha256(byte[] bytes) {
        return com.factory.inspect.models.descriptor.Sha256.hex(bytes);
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(Math.max(0, floats) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static boolean joinAll(List<Thread> threads, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static String describe(Throwable e) {
        // An InferenceException's message starts with its code already.
        return e instanceof InferenceException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
