package com.factory.inspect.camera.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSink;

/** Records what a camera delivers, and on which thread. */
public final class RecordingSink implements FrameSink {
    public final List<Frame> frames = new CopyOnWriteArrayList<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    public final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Frame frame) {
        threads.add(Thread.currentThread());
        frames.add(frame);
    }

    @Override
    public void cameraFailed(String cameraId, String reason) {
        failures.add(cameraId + ": " + reason);
    }

    /** Waits until {@code condition} holds; false after {@code millis}. */
    public static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Waits for at least {@code n} frames. */
    public boolean awaitFrames(int n, long millis) throws InterruptedException {
        return await(() -> frames.size() >= n, millis);
    }
}
