package com.factory.inspect.camera.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        int defective = DatasetWriter.write(first, 6, 9, 128, 96, 0.5, DatasetWriter.ALL_TYPES);
        DatasetWriter.write(second, 6, 9, 128, 96, 0.5, DatasetWriter.ALL_TYPES);

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

    @Test
    void refusesBadArgumentsWithTheReason() {
        Path out = temp.resolve("bad");
        assertEquals("count must not be negative, was -1", assertThrows(IllegalArgumentException.class,
                () -> DatasetWriter.write(out, -1, 1, 128, 96, 0.5, DatasetWriter.ALL_TYPES)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DatasetWriter.write(out, 2, 1, 128, 96, 1.5, DatasetWriter.ALL_TYPES)).getMessage()
                .contains("defect rate"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DatasetWriter.write(out, 2, 1, 128, 96, 0.5, "scratch,dent")).getMessage().contains("dent"));
        assertTrue(Files.notExists(out), "nothing written for bad arguments");
    }

    @Test
    void masksMarkExactlyWhereTheDefectChangedThePart() throws IOException {
        Path out = temp.resolve("masked");
        DatasetWriter.write(out, 8, 5, 128, 96, 0.5, DatasetWriter.ALL_TYPES, true);
        List<String> labels = Files.readAllLines(out.resolve("labels.csv"));
        int masks = 0;
        for (String line : labels.subList(1, labels.size())) {
            String[] fields = line.split(",", 3);
            Path mask = out.resolve("masks").resolve(fields[0]);
            assertEquals(fields[1].equals("1"), Files.exists(mask), "a mask for each defective image only: " + line);
            if (Files.exists(mask)) {
                masks++;
                byte[] m = ((java.awt.image.DataBufferByte) ImageIO.read(mask.toFile()).getRaster().getDataBuffer())
                        .getData();
                long marked = 0;
                for (byte b : m) {
                    assertTrue(b == 0 || b == (byte) 255);
                    marked += b != 0 ? 1 : 0;
                }
                assertTrue(marked > 0 && marked < m.length / 4, "a defect covers part of the image: " + marked);
            }
        }
        assertTrue(masks > 0, "some defective images in 8 at rate 0.5");
    }
}
