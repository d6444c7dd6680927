package com.factory.inspect.backend.tensorrt;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Engines by key: from the cache when a valid file is there, otherwise built once on a background
 * thread while callers are told {@link ErrorCode#NOT_READY} (an engine build takes minutes on a
 * Jetson; a gateway keeps running the model on another backend meanwhile). One build runs at a time:
 * a build takes much of the GPU's memory and the CPU. A failed build is remembered for
 * {@link #FAILURE_MEMORY_NANOS}, so that a model TensorRT cannot take is not rebuilt on every load.
 */
final class EngineBuilds implements AutoCloseable {
    /** How long a failed build is reported instead of tried again. */
    static final long FAILURE_MEMORY_NANOS = TimeUnit.MINUTES.toNanos(15);
    static final String THREAD_NAME = "tensorrt-engine-builder";
    private static final Logger LOG = System.getLogger(EngineBuilds.class.getName());

    /** Builds a serialized engine; runs on the builder thread. */
    @FunctionalInterface
    interface Builder {
        byte[] build() throws InferenceException;
    }

    private sealed interface Build permits Running, Failed {
    }

    private record Running(long startNanos) implements Build {
    }

    private record Failed(ErrorCode code, String message, Throwable cause, long atNanos) implements Build {
    }

    private final Map<Path, Build> builds = new ConcurrentHashMap<>();
    /** Engines built but not written (the cache folder is not writable): kept until the JVM ends. */
    private final Map<Path, byte[]> unsaved = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
    });

    EngineBuilds(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * The serialized engine for {@code key}.
     *
     * @param what how messages name the model
     * @param builder builds the engine if there is none; called at most once per key at a time, on the
     *        builder thread
     * @throws InferenceException {@code NOT_READY} while the engine is being built (a build is started
     *         if none runs), or the code of a build that failed within {@link #FAILURE_MEMORY_NANOS}
     */
    byte[] engine(EngineCache cache, EngineKey key, String what, Builder builder) throws InferenceException {
        Path file = cache.file(key);
        byte[] kept = unsaved.get(file);
        if (kept != null) {
            return kept;
        }
        Build state = builds.get(file);
        if (state instanceof Failed failed) {
            long age = nanoClock.getAsLong() - failed.atNanos();
            if (age < FAILURE_MEMORY_NANOS) {
                throw new InferenceException(failed.code(), failed.message() + " (engine build failed "
                        + TimeUnit.NANOSECONDS.toSeconds(age) + " s ago; tried again "
                        + TimeUnit.NANOSECONDS.toMinutes(FAILURE_MEMORY_NANOS) + " min after failing, or when "
                        + "the backend is reconfigured)", failed.cause());
            }
            builds.remove(file, failed);
        } else if (state instanceof Running running) {
            throw notReady(what, key, running);
        }
        Optional<byte[]> cached = cache.read(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Running run = new Running(nanoClock.getAsLong());
        Build current = builds.putIfAbsent(file, run);
        if (current == null) {
            // a build that finished between the read above and now has written its file
            cached = cache.read(key);
            if (cached.isPresent()) {
                builds.remove(file, run);
                return cached.get();
            }
            start(cache, key, what, builder, run);
            current = run;
        }
        if (current instanceof Running running) {
            throw notReady(what, key, running);
        }
        return engine(cache, key, what, builder); // it failed meanwhile: report that
    }

    private void start(EngineCache cache, EngineKey key, String what, Builder builder, Running run)
            throws InferenceException {
        Path file = cache.file(key);
        try {
            executor.execute(() -> build(cache, key, what, builder, run));
        } catch (RejectedExecutionException e) {
            builds.remove(file, run);
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, "the TensorRT backend is stopping; no engine "
                    + "build for " + what, e);
        }
        LOG.log(Level.INFO, "Building the TensorRT engine for {0} ({1}) in the background; it will be kept in {2}",
                what, key.describe(), file);
    }

    private void build(EngineCache cache, EngineKey key, String what, Builder builder, Running run) {
        Path file = cache.file(key);
        try {
            byte[] engine = builder.build();
            // A stop (shutdownNow) during the build must not cost its result: interrupted file
            // channels refuse to write, so the flag waits until the engine is on disk.
            boolean interrupted = Thread.interrupted();
            try {
                cache.write(key, engine);
            } catch (IOException | RuntimeException e) {
                unsaved.put(file, engine);
                LOG.log(Level.WARNING, "The TensorRT engine for " + what + " could not be written to " + file
                        + "; it is kept in memory only and built again after a restart", e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            builds.remove(file, run);
            LOG.log(Level.INFO, "Built the TensorRT engine for {0} in {1} s ({2} bytes)", what,
                    Long.toString(TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - run.startNanos())),
                    Integer.toString(engine.length));
        } catch (InferenceException e) {
            fail(file, run, e.code(), rawMessage(e), e);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            fail(file, run, ErrorCode.BACKEND_UNAVAILABLE, "TensorRT failed while building the engine for " + what
                    + ": " + e, e);
        }
    }

    private void fail(Path file, Running run, ErrorCode code, String message, Throwable cause) {
        builds.replace(file, run, new Failed(code, message, cause, nanoClock.getAsLong()));
        LOG.log(Level.ERROR, "TensorRT engine build failed: {0}: {1}", code, message);
    }

    /** Number of engine builds running or waiting. */
    int running() {
        return (int) builds.values().stream().filter(Running.class::isInstance).count();
    }

    /** Forgets failed builds, so the next load tries again (after a configuration change). */
    void forgetFailures() {
        builds.values().removeIf(Failed.class::isInstance);
    }

    /**
     * Stops taking builds. A build in progress cannot be interrupted (TensorRT's builder is native
     * code); it ends on its own and still writes its engine to the cache.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "A TensorRT engine build is still running on thread {0}; it ends on its own and "
                        + "writes its engine to the cache", THREAD_NAME);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private InferenceException notReady(String what, EngineKey key, Running running) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - running.startNanos());
        return new InferenceException(ErrorCode.NOT_READY, what + ": the TensorRT engine (" + key.describe()
                + ") is being built (" + seconds + " s so far); use another backend until it is ready");
    }

    /** The message without the {@code CODE: } prefix {@link InferenceException#getMessage()} adds. */
    private static String rawMessage(InferenceException e) {
        String message = e.getMessage();
        String prefix = e.code() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
