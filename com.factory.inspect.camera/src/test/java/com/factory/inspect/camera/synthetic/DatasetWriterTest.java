package com.factory.inspect.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWriterTest {
    @TempDir
    Path temp;

    @Test
    void writesReproduciblePngsAndLabels() throws IOException {
        Path first = temp.resolve("a");
        Path second = temp.resolve("b");
        int defective = DatasetWriter.write(first, 6, new SurfaceRenderer(128, 96, 9, EnumSet.allOf(DefectType.class)),
                0.5);
        DatasetWriter.write(second, 6, new SurfaceRenderer(128, 96, 9, EnumSet.allOf(DefectType.class)), 0.5);

        List<String> labels = Files.readAllLines(first.resolve("labels.csv"));
        assertEquals("image,label,annotation", labels.get(0));
        assertEquals(7, labels.size());
        assertEquals(defective, labels.stream().skip(1).filter(l -> l.split(",")[1].equals("1")).count());
        for (String line : labels.subList(1, labels.size())) {
            String[] fields = line.split(",", 3);
            assertEquals(fields[1].equals("1"), !fields[2].isEmpty(), line);
            BufferedImage image = ImageIO.read(first.resolve(fields[0]).toFile());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
            assertEquals(128, image.getWidth());
            assertEquals(96, image.getHeight());
        }
        try (var files = Files.list(first)) {
            for (Path file : files.toList()) {
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(second.resolve(file.getFileName())),
                        "same seed, same bytes: " + file.getFileName());
            }
        }
        assertTrue(Files.exists(first.resolve("img_00005.png")));
    }
}
