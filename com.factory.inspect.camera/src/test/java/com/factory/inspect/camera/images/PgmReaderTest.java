package com.factory.inspect.camera.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.factory.inspect.api.camera.PixelFormat;

public class PgmReaderTest {

    public static byte[] p5(int width, int height, byte[] pixels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P5\n# written by a test\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(pixels);
        return out.toByteArray();
    }

    private static RasterImage read(byte[] data) throws IOException {
        return PgmReader.read(new ByteArrayInputStream(data));
    }

    private static RasterImage read(String data) throws IOException {
        return read(data.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsBinaryP5() throws IOException {
        byte[] pixels = {0, 10, (byte) 200, (byte) 255, 7, 8};
        RasterImage image = read(p5(3, 2, pixels));
        assertEquals(PixelFormat.MONO8, image.format());
        assertEquals(3, image.width());
        assertEquals(2, image.height());
        assertArrayEquals(pixels, image.pixels());
    }

    @Test
    void readsAsciiP2WithCommentsAndScalesMaxval() throws IOException {
        RasterImage image = read("P2\n# comment\n2 2 # another\n15\n0 15\n  7\n8\n");
        assertArrayEquals(new byte[] {0, (byte) 255, 119, (byte) 136}, image.pixels());
    }

    @Test
    void readsSixteenBitP5() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("P5 2 1 65535\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0x80, 0});
        assertArrayEquals(new byte[] {(byte) 255, (byte) 128}, read(out.toByteArray()).pixels());
    }

    @Test
    void explainsBadFiles() {
        assertMessage("not a PGM file", "P6\n1 1\n255\n\0\0\0");
        assertMessage("not a PGM file", "");
        assertMessage("expected the width", "P5\nabc 2\n255\n");
        assertMessage("maxval 0 is outside", "P2 1 1 0\n0\n");
        assertMessage("size 0x2", "P2 0 2 255\n");
        assertMessage("truncated PGM: expected 6 bytes", "P5 3 2 255\n\1\2");
        assertMessage("truncated PGM: expected 4 samples, found 3", "P2 2 2 255\n1 2 3");
        assertMessage("above maxval", "P2 1 1 100\n101\n");
        assertMessage("not a number", "P2 1 1 100\nx\n");
    }

    private static void assertMessage(String expected, String data) {
        IOException e = assertThrows(IOException.class, () -> read(data));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
