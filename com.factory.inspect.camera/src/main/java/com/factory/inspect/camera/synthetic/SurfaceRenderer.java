package com.factory.inspect.camera.synthetic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Renders MONO8 images of turned metal flanges, good or with procedural defects. Pure Java, no OSGi.
 * <p>
 * The expensive parts (textures, geometry) are precomputed at construction as a few part canvases; a
 * frame picks one, flips it, crops it at a jittered offset (the part's position varies by a few
 * percent), applies a global brightness and a lighting gradient, adds sensor noise from a precomputed
 * table and draws the defects. Frame {@code i} of a renderer depends only on the seed, the size, the
 * defect types, {@code i} and the defect rate. Instances are immutable and may be shared by threads.
 */
public final class SurfaceRenderer {
    private static final int VARIANTS = 8;
    private static final int NOISE_SLACK = 1 << 13;
    private static final double SENSOR_NOISE = 2.2;
    private static final double POSITION_JITTER = 0.035;

    private final int width;
    private final int height;
    private final long seed;
    private final List<DefectType> defectTypes;
    private final int marginX;
    private final int marginY;
    private final PartCanvas[] canvases = new PartCanvas[VARIANTS];
    private final byte[] noise;

    /**
     * Precomputes the part canvases (about 0.15 s and 3 MB at 640×480).
     *
     * @param width frame width, at least 64
     * @param height frame height, at least 64
     * @param seed seed of everything random
     * @param defectTypes defects to choose from, at least one
     */
    public SurfaceRenderer(int width, int height, long seed, Collection<DefectType> defectTypes) {
        if (width < 64 || height < 64 || (long) width * height > 50_000_000L) {
            throw new IllegalArgumentException("synthetic image size must be at least 64x64 and at most 50 Mpixel, was "
                    + width + "x" + height);
        }
        if (defectTypes.isEmpty()) {
            throw new IllegalArgumentException("at least one defect type is needed");
        }
        this.width = width;
        this.height = height;
        this.seed = seed;
        this.defectTypes = List.copyOf(EnumSet.copyOf(defectTypes));
        this.marginX = (int) Math.ceil(width * POSITION_JITTER);
        this.marginY = (int) Math.ceil(height * POSITION_JITTER);
        SplittableRandom random = new SplittableRandom(seed);
        for (int v = 0; v < VARIANTS; v++) {
            canvases[v] = PartCanvas.create(width, height, marginX, marginY, random.split());
        }
        noise = new byte[width * height + NOISE_SLACK];
        SplittableRandom noiseRandom = random.split();
        for (int i = 0; i < noise.length; i++) {
            long n = Math.round(Noise.gauss(noiseRandom) * SENSOR_NOISE);
            noise[i] = (byte) Math.max(-10, Math.min(10, n));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long seed() {
        return seed;
    }

    public List<DefectType> defectTypes() {
        return defectTypes;
    }

    /**
     * Renders frame {@code index}.
     *
     * @param index frame number; the same index gives the same image
     * @param defectRate probability, 0..1, that the part has a defect
     * @param target receives {@code width × height} MONO8 pixels, rows top to bottom
     * @return ground truth, annotation and where the part lies
     */
    public RenderedSurface render(long index, double defectRate, byte[] target) {
        if (target.length < width * height) {
            throw new IllegalArgumentException("target holds " + target.length + " bytes, a " + width + "x" + height
                    + " frame needs " + width * height);
        }
        if (!(defectRate >= 0 && defectRate <= 1)) {
            throw new IllegalArgumentException("defect rate must be within 0..1, was " + defectRate);
        }
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        PartCanvas canvas = canvases[random.nextInt(VARIANTS)];
        boolean flipX = random.nextBoolean();
        boolean flipY = random.nextBoolean();
        int offsetX = random.nextInt(2 * marginX + 1);
        int offsetY = random.nextInt(2 * marginY + 1);
        double gain = 0.8 + 0.4 * random.nextDouble();
        double gradientX = 0.16 * (2 * random.nextDouble() - 1);
        double gradientY = 0.16 * (2 * random.nextDouble() - 1);
        int noiseOffset = random.nextInt(NOISE_SLACK);
        boolean defective = random.nextDouble() < defectRate;
        SplittableRandom defectRandom = random.split();

        compose(canvas, flipX, flipY, offsetX, offsetY, gain, gradientX, gradientY, noiseOffset, target);
        PartGeometry part = new PartGeometry(canvas.centreX - offsetX, canvas.centreY - offsetY, canvas.outerRadius,
                canvas.boreRadius);
        if (!defective) {
            return new RenderedSurface(false, "", part);
        }
        Lighting light = (x, y) -> gain * (1 + gradientX * (x / width - 0.5) + gradientY * (y / height - 0.5));
        DefectPainter painter = new DefectPainter(target, width, height, part, light);
        // Mostly one defect; sometimes a second one of any type.
        List<String> drawn = new ArrayList<>(2);
        drawn.add(painter.paint(defectTypes.get(defectRandom.nextInt(defectTypes.size())), defectRandom));
        if (defectRandom.nextDouble() < 0.12) {
            drawn.add(painter.paint(defectTypes.get(defectRandom.nextInt(defectTypes.size())), defectRandom));
        }
        return new RenderedSurface(true, String.join("; ", drawn), part);
    }

    /** Brightness factor at a pixel, for drawing defects that are lit like the part. */
    @FunctionalInterface
    interface Lighting {
        double gainAt(double x, double y);
    }

    /** The hot loop: crop/flip the canvas, multiply by the lighting (16.16 fixed point), add noise. */
    private void compose(PartCanvas canvas, boolean flipX, boolean flipY, int offsetX, int offsetY, double gain,
            double gradientX, double gradientY, int noiseOffset, byte[] out) {
        byte[] source = canvas.pixels;
        byte[] sensor = noise;
        int w = width;
        int step = flipX ? -1 : 1;
        int firstColumn = flipX ? canvas.width - 1 - offsetX : offsetX;
        int gainStep = (int) Math.round(gain * gradientX / w * 65536);
        for (int y = 0; y < height; y++) {
            int row = flipY ? canvas.height - 1 - offsetY - y : offsetY + y;
            int s = row * canvas.width + firstColumn;
            double rowGain = gain * (1 - 0.5 * gradientX + gradientY * ((y + 0.5) / height - 0.5));
            int g = (int) Math.round(rowGain * 65536);
            int o = y * w;
            int n = noiseOffset + o;
            for (int x = 0; x < w; x++) {
                int v = (((source[s] & 0xFF) * g + 32768) >> 16) + sensor[n + x];
                out[o + x] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
                g += gainStep;
                s += step;
            }
        }
    }

    /** SplitMix64 finaliser of seed and index, so neighbouring frames get unrelated streams. */
    private static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
