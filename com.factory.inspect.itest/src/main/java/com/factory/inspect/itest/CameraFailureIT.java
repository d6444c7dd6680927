package com.factory.inspect.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.camera.CameraHealth;
import com.factory.inspect.api.camera.CameraInfo;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSink;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.api.gate.CameraStatus;
import com.factory.inspect.api.gate.InspectionService;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** A camera that fails (or a camera folder that is missing) is reported, and the others keep going. */
@ExtendWith(ServiceExtension.class)
class CameraFailureIT {

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurationAdmin;

    @InjectService(timeout = 30_000)
    InspectionService gate;

    @Test
    void aFailingCameraIsReportedAndTheOthersKeepRunning() throws Exception {
        BrokenCamera broken = new BrokenCamera("it-broken", 5);
        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0));
            line.awaitModelActive();
            line.syntheticCamera("it-ok-1", 10, 0.1, 1);
            line.syntheticCamera("it-ok-2", 10, 0.1, 2);
            line.camera(Line.FOLDER_PID, "it-missing", Map.of("folder", "/nonexistent/factory-inspect/cam", "fps", 5.0));
            ServiceRegistration<FrameSource> registration = line.context.registerService(FrameSource.class, broken,
                    new Hashtable<>(Map.of(FrameSource.PROPERTY_CAMERA_ID, broken.cameraId())));
            try {
                Line.await(() -> state("it-broken").map(c -> c.state().equals("FAILED")).orElse(false), 15_000,
                        () -> "broken camera not reported: " + gate.cameras());
                assertTrue(state("it-broken").get().detail().contains("sensor disconnected"),
                        state("it-broken").get().toString());
                Line.await(() -> state("it-missing").map(c -> c.state().equals("FAILED")
                        || c.state().equals("STALLED")).orElse(false), 15_000,
                        () -> "missing folder camera not reported: " + gate.cameras());
                assertTrue(state("it-missing").get().detail().contains("/nonexistent/factory-inspect/cam"),
                        state("it-missing").get().toString());

                // After both failures, the healthy cameras still get results at their rate.
                long before1 = line.count("it-ok-1");
                long before2 = line.count("it-ok-2");
                Thread.sleep(1500);
                assertTrue(line.count("it-ok-1") - before1 >= 8, "it-ok-1 kept going");
                assertTrue(line.count("it-ok-2") - before2 >= 8, "it-ok-2 kept going");
                assertTrue(state("it-ok-1").get().state().equals("STREAMING"), gate.cameras().toString());
                // Every frame the broken camera did deliver was decided.
                assertTrue(line.count("it-broken") == broken.delivered.get(), "broken camera frames decided");
            } finally {
                registration.unregister();
            }
        }
    }

    private Optional<CameraStatus> state(String id) {
        return gate.cameras().stream().filter(c -> c.cameraId().equals(id)).findFirst();
    }

    /** Delivers a few frames, then reports a fault and goes silent. */
    static final class BrokenCamera implements FrameSource {
        private final String id;
        private final int framesBeforeFailure;
        final AtomicLong delivered = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
        private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camera-it-broken");
            t.setDaemon(true);
            return t;
        });

        BrokenCamera(String id, int framesBeforeFailure) {
            this.id = id;
            this.framesBeforeFailure = framesBeforeFailure;
        }

        @Override
        public String cameraId() {
            return id;
        }

        @Override
        public CameraInfo info() {
            return new CameraInfo(id, "test", PixelFormat.MONO8, 64, 64, 10, "fails after " + framesBeforeFailure);
        }

        @Override
        public CameraHealth health() {
            return new CameraHealth(CameraHealth.State.STREAMING, delivered.get(), "");
        }

        @Override
        public Subscription open(FrameSink sink) {
            thread.scheduleAtFixedRate(() -> {
                long n = delivered.get();
                if (n < framesBeforeFailure) {
                    sink.accept(Frame.of(id, n, System.nanoTime(), PixelFormat.MONO8, 64, 64, new byte[64 * 64],
                            GroundTruth.UNKNOWN, ""));
                    delivered.incrementAndGet();
                } else if (reported.compareAndSet(false, true)) {
                    sink.cameraFailed(id, "sensor disconnected (test)");
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            return thread::shutdownNow;
        }
    }
}
