package com.factory.inspect.camera.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

import com.factory.inspect.api.camera.PixelFormat;

/** Decodes the image files a folder camera replays: PNG and JPEG (javax.imageio) and PGM. */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** Whether the file name has an extension this camera replays. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".pgm");
    }

    /**
     * Decodes {@code file}: grey images become MONO8, colour ones RGB8.
     *
     * @throws IOException if it cannot be read or decoded; the message says why
     */
    public static RasterImage read(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pgm")) {
            try (InputStream in = Files.newInputStream(file)) {
                return PgmReader.read(in);
            }
        }
        BufferedImage image;
        try {
            // From a File, not a stream: a stream would be cached in a temporary file per read.
            image = ImageIO.read(file.toFile());
        } catch (RuntimeException e) {
            // Some decoders throw unchecked exceptions on corrupt data.
            throw new IOException("corrupt image data (" + e + ")", e);
        }
        if (image == null) {
            throw new IOException("not a PNG or JPEG image that this Java runtime can decode");
        }
        return convert(image);
    }

    /** Converts a decoded image to 8-bit MONO8 (grey) or RGB8 (anything else). */
    static RasterImage convert(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel model = image.getColorModel();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] pixels = new byte[width * height];
            image.getRaster().getDataElements(0, 0, width, height, pixels);
            return new RasterImage(PixelFormat.MONO8, width, height, pixels);
        }
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            return greyFromRaster(image.getRaster(), model.getComponentSize(0), width, height);
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        if (model instanceof IndexColorModel palette && isGreyPalette(palette)) {
            byte[] pixels = new byte[width * height];
            for (int i = 0; i < argb.length; i++) {
                pixels[i] = (byte) argb[i];
            }
            return new RasterImage(PixelFormat.MONO8, width, height, pixels);
        }
        byte[] pixels = new byte[width * height * 3];
        for (int i = 0, o = 0; i < argb.length; i++) {
            int c = argb[i];
            pixels[o++] = (byte) (c >> 16);
            pixels[o++] = (byte) (c >> 8);
            pixels[o++] = (byte) c;
        }
        return new RasterImage(PixelFormat.RGB8, width, height, pixels);
    }

    /** Grey rasters of other depths (1, 2, 4, 16 bits; grey + alpha): band 0 scaled to 8 bits. */
    private static RasterImage greyFromRaster(Raster raster, int bits, int width, int height) {
        byte[] pixels = new byte[width * height];
        int[] row = new int[width];
        int max = (1 << bits) - 1;
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                int v = bits > 8 ? row[x] >>> (bits - 8) : (row[x] * 255 + max / 2) / max;
                pixels[y * width + x] = (byte) v;
            }
        }
        return new RasterImage(PixelFormat.MONO8, width, height, pixels);
    }

    private static boolean isGreyPalette(IndexColorModel palette) {
        for (int i = 0; i < palette.getMapSize(); i++) {
            int r = palette.getRed(i);
            if (r != palette.getGreen(i) || r != palette.getBlue(i)) {
                return false;
            }
        }
        return true;
    }
}
