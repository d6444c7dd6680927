package com.factory.inspect.camera.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.factory.inspect.api.camera.PixelFormat;

/**
 * Reads Netpbm grey maps: binary {@code P5} and ASCII {@code P2}, maxval up to 65535 (scaled to 8 bits),
 * {@code #} comments in the header. Errors say what is wrong with the file.
 */
final class PgmReader {
    private static final long MAX_PIXELS = 100_000_000L;

    private PgmReader() {
    }

    /** Reads one image from {@code in} (not closed). */
    static RasterImage read(InputStream in) throws IOException {
        InputStream input = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        int p = input.read();
        int kind = input.read();
        if (p != 'P' || (kind != '5' && kind != '2')) {
            throw new IOException("not a PGM file: it starts with " + describe(p, kind)
                    + ", expected P5 (binary) or P2 (ASCII)");
        }
        Tokens tokens = new Tokens(input);
        int width = tokens.headerInt("width");
        int height = tokens.headerInt("height");
        int maxval = tokens.headerInt("maxval");
        if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
            throw new IOException("bad PGM header: size " + width + "x" + height + " is outside 1x1.."
                    + MAX_PIXELS + " pixels");
        }
        if (maxval < 1 || maxval > 65535) {
            throw new IOException("bad PGM header: maxval " + maxval + " is outside 1..65535");
        }
        if (!Character.isWhitespace(tokens.terminator)) {
            throw new IOException("bad PGM header: maxval must be followed by one whitespace character");
        }
        int count = width * height;
        byte[] pixels = new byte[count];
        if (kind == '5') {
            readBinary(input, pixels, maxval);
        } else {
            for (int i = 0; i < count; i++) {
                int value = tokens.rasterInt(i, count);
                if (value > maxval) {
                    throw new IOException("bad PGM data: sample " + i + " is " + value + ", above maxval " + maxval);
                }
                pixels[i] = (byte) scale(value, maxval);
            }
        }
        return new RasterImage(PixelFormat.MONO8, width, height, pixels);
    }

    private static void readBinary(InputStream input, byte[] pixels, int maxval) throws IOException {
        int bytesPerSample = maxval > 255 ? 2 : 1;
        byte[] raw = input.readNBytes(pixels.length * bytesPerSample);
        if (raw.length < pixels.length * bytesPerSample) {
            throw new IOException("truncated PGM: expected " + pixels.length * bytesPerSample
                    + " bytes of pixel data, found " + raw.length);
        }
        for (int i = 0; i < pixels.length; i++) {
            int value = bytesPerSample == 1 ? raw[i] & 0xFF : (raw[2 * i] & 0xFF) << 8 | raw[2 * i + 1] & 0xFF;
            if (value > maxval) {
                throw new IOException("bad PGM data: sample " + i + " is " + value + ", above maxval " + maxval);
            }
            pixels[i] = (byte) (maxval == 255 ? value : scale(value, maxval));
        }
    }

    private static int scale(int value, int maxval) {
        return (int) ((value * 255L + maxval / 2) / maxval);
    }

    private static String describe(int a, int b) {
        if (a < 0) {
            return "nothing (empty file)";
        }
        StringBuilder s = new StringBuilder("'");
        for (int c : new int[] {a, b}) {
            if (c >= 0) {
                s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
        }
        return s.append("'").toString();
    }

    /** Unsigned decimal numbers separated by whitespace; {@code #} comments only in the header. */
    private static final class Tokens {
        private final InputStream input;
        int terminator;

        Tokens(InputStream input) {
            this.input = input;
        }

        int headerInt(String what) throws IOException {
            int c = input.read();
            while (c == '#' || Character.isWhitespace(c)) {
                if (c == '#') {
                    while (c != '\n' && c != '\r' && c != -1) {
                        c = input.read();
                    }
                }
                c = input.read();
            }
            if (c < '0' || c > '9') {
                throw new IOException("bad PGM header: expected the " + what + " as a number, found "
                        + (c < 0 ? "the end of the file" : "'" + (char) c + "'"));
            }
            return number(c, "the " + what);
        }

        int rasterInt(int index, int count) throws IOException {
            int c = input.read();
            while (Character.isWhitespace(c)) {
                c = input.read();
            }
            if (c < 0) {
                throw new IOException("truncated PGM: expected " + count + " samples, found " + index);
            }
            if (c < '0' || c > '9') {
                throw new IOException("bad PGM data: sample " + index + " is not a number ('" + (char) c + "')");
            }
            return number(c, "sample " + index);
        }

        private int number(int first, String what) throws IOException {
            long value = first - '0';
            int c = input.read();
            while (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (value > Integer.MAX_VALUE) {
                    throw new IOException("bad PGM file: " + what + " is too large");
                }
                c = input.read();
            }
            terminator = c;
            return (int) value;
        }
    }
}
