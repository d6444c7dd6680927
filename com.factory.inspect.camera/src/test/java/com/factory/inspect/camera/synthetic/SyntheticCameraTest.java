package com.factory.inspect.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.factory.inspect.api.camera.CameraHealth;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.camera.testing.Configs;
import com.factory.inspect.camera.testing.FakeBundleContext;
import com.factory.inspect.camera.testing.RecordingSink;

class SyntheticCameraTest {
    private final FakeBundleContext bundle = new FakeBundleContext();
    private final SyntheticCamera camera = new SyntheticCamera();
    private final Map<String, Object> config = new HashMap<>(Map.of("camera.id", "cam1", "width", 160, "height",
            120, "fps", 40.0, "defect.rate", 0.5));

    @AfterEach
    void deactivate() {
        camera.deactivate();
    }

    private static SyntheticCamera.Config config(Map<String, Object> properties) {
        return Configs.of(SyntheticCamera.Config.class, properties);
    }

    @Test
    void registersItsFrameSourceUnderTheCameraId() {
        camera.activate(bundle.context(), config(config));
        assertEquals(1, bundle.registrations.size());
        FakeBundleContext.Registration registration = bundle.registrations.get(0);
        assertEquals(camera, registration.service);
        assertEquals("cam1", registration.properties.get(FrameSource.PROPERTY_CAMERA_ID));
        assertEquals("synthetic", camera.info().kind());
        assertEquals(160, camera.info().width());
        assertEquals(CameraHealth.State.IDLE, camera.health().state());

        config.put("camera.id", "cam2");
        camera.modified(config(config));
        assertEquals("cam2", registration.properties.get(FrameSource.PROPERTY_CAMERA_ID));
        assertEquals("cam2", camera.cameraId());
        camera.deactivate();
        assertTrue(registration.unregistered);
    }

    @Test
    void deliversIncreasingSequencesWithGroundTruth() throws InterruptedException {
        camera.activate(bundle.context(), config(config));
        RecordingSink sink = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(sink)) {
            assertTrue(sink.awaitFrames(12, 5_000));
            assertEquals(CameraHealth.State.STREAMING, camera.health().state());
            assertThrows(IllegalStateException.class, () -> camera.open(new RecordingSink()));
        }
        List<Frame> frames = List.copyOf(sink.frames);
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            assertEquals(i, frame.sequence());
            assertEquals("cam1", frame.cameraId());
            assertEquals(PixelFormat.MONO8, frame.pixelFormat());
            assertEquals(160, frame.width());
            assertEquals(120, frame.height());
            assertEquals(frame.groundTruth() == GroundTruth.DEFECT, !frame.annotation().isEmpty());
            assertTrue(frame.groundTruth() != GroundTruth.UNKNOWN);
            if (i > 0) {
                assertTrue(frame.captureNanos() > frames.get(i - 1).captureNanos());
            }
        }
        Thread thread = sink.threads.get(0);
        assertEquals("camera-cam1", thread.getName());
        assertTrue(thread.isDaemon());
        CameraHealth idle = camera.health();
        assertEquals(CameraHealth.State.IDLE, idle.state());
        assertEquals(frames.size(), idle.framesDelivered());

        int delivered = sink.frames.size();
        Thread.sleep(150);
        assertEquals(delivered, sink.frames.size(), "closing the subscription stops capture");

        RecordingSink again = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(again)) {
            assertTrue(again.awaitFrames(1, 5_000));
            assertEquals(0, again.frames.get(0).sequence(), "every opening counts from 0");
        }
    }

    @Test
    void respectsTheFrameRateRoughly() throws InterruptedException {
        config.put("fps", 20.0);
        camera.activate(bundle.context(), config(config));
        RecordingSink sink = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(sink)) {
            Thread.sleep(1_000);
        }
        int n = sink.frames.size();
        assertTrue(n >= 8 && n <= 30, n + " frames in one second at 20 fps");
    }

    @Test
    void appliesRateChangesLiveWithoutRestartingTheStream() throws InterruptedException {
        config.put("fps", 2.0);
        config.put("defect.rate", 0.0);
        camera.activate(bundle.context(), config(config));
        RecordingSink sink = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(sink)) {
            assertTrue(sink.awaitFrames(1, 5_000));
            config.put("fps", 50.0);
            config.put("defect.rate", 1.0);
            camera.modified(config(config));
            assertTrue(sink.awaitFrames(12, 3_000), "faster rate applies without waiting out the old period");
            camera.modified(config(config)); // unchanged: no-op
            assertTrue(sink.awaitFrames(16, 3_000));
        }
        List<Frame> frames = List.copyOf(sink.frames);
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).sequence(), "the sequence continues across the change");
        }
        assertEquals(GroundTruth.GOOD, frames.get(0).groundTruth());
        assertEquals(GroundTruth.DEFECT, frames.get(frames.size() - 1).groundTruth());
        assertEquals(1, bundle.registrations.size());
    }

    @Test
    void rejectsBadConfigurations() {
        config.put("defect.rate", 1.5);
        assertThrows(IllegalArgumentException.class, () -> camera.activate(bundle.context(), config(config)));
        config.put("defect.rate", 0.1);
        config.put("defect.types", "scratch,dent");
        assertThrows(IllegalArgumentException.class, () -> camera.activate(bundle.context(), config(config)));
        assertTrue(bundle.registrations.isEmpty());
        assertDoesNotThrow(camera::deactivate, "deactivate after a failed activation");
    }

    @Test
    void derivesTheSeedFromTheCameraId() {
        SyntheticOptions a = SyntheticOptions.from(config(config));
        config.put("camera.id", "cam9");
        SyntheticOptions b = SyntheticOptions.from(config(config));
        config.put("seed", 77L);
        SyntheticOptions c = SyntheticOptions.from(config(config));
        assertTrue(a.effectiveSeed() != b.effectiveSeed());
        assertEquals(a.effectiveSeed(), SyntheticOptions.from(config(Map.of("camera.id", "cam1"))).effectiveSeed());
        assertEquals(77L, c.effectiveSeed());
    }
}
