package com.factory.inspect.camera.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.factory.inspect.api.camera.CameraHealth;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.camera.images.PgmReaderTest;
import com.factory.inspect.camera.testing.Configs;
import com.factory.inspect.camera.testing.FakeBundleContext;
import com.factory.inspect.camera.testing.RecordingSink;

class FolderCameraTest {
    @TempDir
    Path temp;

    private final FakeBundleContext bundle = new FakeBundleContext();
    private final FolderCamera camera = new FolderCamera();

    @AfterEach
    void deactivate() {
        camera.deactivate();
    }

    private void activate(Path folder, boolean loop) {
        Map<String, Object> config = new HashMap<>(Map.of("camera.id", "replay", "folder", folder.toString(), "fps",
                50.0, "loop", loop, "retry.seconds", 0.1));
        camera.activate(bundle.context(), Configs.of(FolderCamera.Config.class, config));
    }

    /** Images of distinct sizes so a frame shows which file it came from. */
    private static void grey(Path file, int size, String format) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(1, 1, 0, 77);
        ImageIO.write(image, format, file.toFile());
    }

    private static void colour(Path file, int size) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x102030);
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void replaysInNameOrderWithLabelsAndSkipsCorruptFiles() throws Exception {
        grey(temp.resolve("a.png"), 8, "png");
        Files.write(temp.resolve("b.pgm"), PgmReaderTest.p5(9, 9, new byte[81]));
        Files.write(temp.resolve("c.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        colour(temp.resolve("d.png"), 10);
        grey(temp.resolve("e.jpg"), 11, "jpg");
        Files.writeString(temp.resolve("notes.txt"), "not an image");
        Files.writeString(temp.resolve("labels.csv"), "image,label,annotation\na.png,1,pit d=3\nb.pgm,0,\n");
        activate(temp, true);
        RecordingSink sink = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(sink)) {
            assertTrue(sink.awaitFrames(6, 5_000));
        }
        List<Frame> frames = sink.frames;
        assertEquals(List.of(8, 9, 10, 11, 8, 9), frames.stream().limit(6).map(Frame::width).toList(),
                "name order, corrupt c.png skipped, then the next lap");
        assertEquals(GroundTruth.DEFECT, frames.get(0).groundTruth());
        assertEquals("pit d=3", frames.get(0).annotation());
        assertEquals(GroundTruth.GOOD, frames.get(1).groundTruth());
        assertEquals(GroundTruth.UNKNOWN, frames.get(2).groundTruth());
        assertEquals(PixelFormat.MONO8, frames.get(0).pixelFormat());
        assertEquals(77, frames.get(0).pixelByte(8 + 1));
        assertEquals(PixelFormat.MONO8, frames.get(1).pixelFormat());
        assertEquals(PixelFormat.RGB8, frames.get(2).pixelFormat());
        assertEquals(0x10, frames.get(2).pixelByte(0));
        assertEquals(0x30, frames.get(2).pixelByte(2));
        assertEquals(PixelFormat.MONO8, frames.get(3).pixelFormat(), "grey JPEG");
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).sequence());
        }
        assertTrue(sink.failures.isEmpty(), "a corrupt file is not a camera failure: " + sink.failures);
        assertEquals("folder", camera.info().kind());
    }

    @Test
    void missingFolderFailsOnceAndRecoversWhenImagesAppear() throws Exception {
        Path folder = temp.resolve("incoming");
        activate(folder, true);
        CameraHealth idle = camera.health();
        assertEquals(CameraHealth.State.FAILED, idle.state());
        assertTrue(idle.detail().contains(folder.toString()) && idle.detail().contains("does not exist"),
                idle.detail());

        RecordingSink sink = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(sink)) {
            assertTrue(RecordingSink.await(() -> !sink.failures.isEmpty(), 5_000));
            CameraHealth failed = camera.health();
            assertEquals(CameraHealth.State.FAILED, failed.state());
            assertTrue(failed.detail().contains(folder.toString()), failed.detail());
            assertTrue(sink.failures.get(0).startsWith("replay: folder " + folder), sink.failures.get(0));

            Files.createDirectories(folder);
            Thread.sleep(350); // several retries: now empty, still the same failure episode
            assertEquals(1, sink.failures.size(), "cameraFailed once per episode: " + sink.failures);
            assertTrue(camera.health().detail().contains("empty"), camera.health().detail());

            grey(folder.resolve("late.png"), 12, "png");
            assertTrue(sink.awaitFrames(2, 5_000), "resumes when files appear");
            assertEquals(CameraHealth.State.STREAMING, camera.health().state());
            assertEquals(12, sink.frames.get(0).width());
            assertEquals(0, sink.frames.get(0).sequence());

            Files.delete(folder.resolve("late.png"));
            assertTrue(RecordingSink.await(() -> sink.failures.size() == 2, 5_000), "a new episode is reported again");
        }
    }

    @Test
    void stopsAfterTheLastImageWithoutLoop() throws Exception {
        grey(temp.resolve("only.png"), 5, "png");
        activate(temp, false);
        RecordingSink sink = new RecordingSink();
        try (FrameSource.Subscription subscription = camera.open(sink)) {
            assertTrue(sink.awaitFrames(1, 5_000));
            Thread.sleep(150);
            assertEquals(1, sink.frames.size());
            CameraHealth health = camera.health();
            assertEquals(CameraHealth.State.STREAMING, health.state());
            assertTrue(health.detail().contains("loop is off"), health.detail());
            assertThrows(IllegalStateException.class, () -> camera.open(new RecordingSink()));
        }
        assertEquals(5, camera.info().width());
    }

    @Test
    void rejectsAConfigurationWithoutFolder() {
        Map<String, Object> config = Map.of("camera.id", "x", "folder", " ");
        assertThrows(IllegalArgumentException.class,
                () -> camera.activate(bundle.context(), Configs.of(FolderCamera.Config.class, config)));
        assertTrue(bundle.registrations.isEmpty());
    }
}
