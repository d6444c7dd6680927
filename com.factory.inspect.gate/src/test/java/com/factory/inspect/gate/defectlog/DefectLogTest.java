package com.factory.inspect.gate.defectlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.api.decision.Actuation;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.LatencyBreakdown;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.decision.Verdict;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefectLogTest {
    @TempDir
    Path folder;

    private static InspectionResult result(long sequence) {
        return new InspectionResult("cam \"1\"", sequence, Verdict.FAIL, 0.9, 0.08, "surface-demo", "1.0.0",
                "onnxruntime-cpu", new LatencyBreakdown(1_000_000, 2_000_000, 3_000_000, 100_000, 6_100_000), true,
                Outcome.DECIDED, Actuation.FIRED, GroundTruth.DEFECT);
    }

    private static Frame frame(long sequence) {
        byte[] pixels = new byte[64 * 48];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 251);
        }
        return Frame.of("cam \"1\"", sequence, 0, PixelFormat.MONO8, 64, 48, pixels, GroundTruth.DEFECT, "scratch");
    }

    private List<Path> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void awaitWritten(DefectLog log, long count) throws InterruptedException {
        for (int i = 0; i < 500 && log.written() + log.dropped() < count; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void writesAnImageAPersonCanOpenAndItsMetadata() throws Exception {
        DefectLog log = new DefectLog(folder, 1 << 20, 100, Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"),
                ZoneOffset.UTC));
        assertTrue(log.offer(result(42), frame(42)));
        awaitWritten(log, 1);
        log.close();
        List<Path> images = files(".png");
        assertEquals(1, images.size());
        assertEquals("20261126T100000.000Z_cam__1__000000042.png", images.get(0).getFileName().toString());
        BufferedImage image = ImageIO.read(images.get(0).toFile());
        assertEquals(64, image.getWidth());
        assertEquals(48, image.getHeight());
        assertEquals(7 & 0xFF, image.getRaster().getSample(7, 0, 0));
        String json = Files.readString(files(".json").get(0));
        assertTrue(json.contains("\"camera\": \"cam \\\"1\\\"\""), json);
        assertTrue(json.contains("\"defect_probability\": 0.9000"), json);
        assertTrue(json.contains("\"annotation\": \"scratch\""), json);
    }

    @Test
    void keepsTheFolderWithinItsBoundsOldestFirst() throws Exception {
        DefectLog log = new DefectLog(folder, 1 << 20, 3, Clock.systemUTC());
        for (int i = 0; i < 8; i++) {
            log.offer(result(i), frame(i));
            awaitWritten(log, i + 1);
            Thread.sleep(2); // distinct millisecond stamps
        }
        log.close();
        List<Path> images = files(".png");
        assertEquals(3, images.size());
        assertTrue(images.get(0).toString().endsWith("000000005.png"), images.toString());
        // A new run picks up what is there and keeps enforcing the bound.
        DefectLog again = new DefectLog(folder, 1 << 20, 2, Clock.systemUTC());
        again.close();
        assertEquals(2, files(".png").size());
    }

    @Test
    void anUnwritableFolderDropsEntriesWithoutThrowing() throws Exception {
        Path blocker = folder.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        DefectLog log = new DefectLog(blocker.resolve("defects"), 1 << 20, 10, Clock.systemUTC());
        log.offer(result(1), frame(1));
        awaitWritten(log, 1);
        log.close();
        assertEquals(0, log.written());
        assertEquals(1, log.dropped());
        assertFalse(Files.exists(blocker.resolve("defects")));
    }
}
