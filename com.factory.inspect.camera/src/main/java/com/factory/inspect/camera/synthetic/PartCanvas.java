package com.factory.inspect.camera.synthetic;

import java.util.SplittableRandom;

/**
 * One precomputed look of a turned metal flange (a disc with a centre bore) on a darker fixture,
 * a little larger than the frame so that frames can crop it at a jittered offset. Computed once per
 * renderer; frames only crop, flip, light and add noise to it.
 * <p>
 * The face shows what a lathe leaves: concentric turning marks (a fine and a medium radial profile),
 * tangentially brushed noise, the anisotropic "butterfly" sheen of turned surfaces, and chamfers at
 * both edges that catch the light on one side.
 */
final class PartCanvas {
    /** Part brightness before the per-frame gain. */
    private static final double ALBEDO = 158;

    final int width;
    final int height;
    final byte[] pixels;
    final double centreX;
    final double centreY;
    final double outerRadius;
    final double boreRadius;

    private PartCanvas(int width, int height, byte[] pixels, double outerRadius, double boreRadius) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.centreX = (width - 1) / 2.0;
        this.centreY = (height - 1) / 2.0;
        this.outerRadius = outerRadius;
        this.boreRadius = boreRadius;
    }

    static PartCanvas create(int frameWidth, int frameHeight, int marginX, int marginY, SplittableRandom random) {
        int width = frameWidth + 2 * marginX;
        int height = frameHeight + 2 * marginY;
        double size = Math.min(frameWidth, frameHeight);
        double scale = size / 480.0;
        double outer = size * (0.385 + 0.03 * random.nextDouble());
        double bore = outer * (0.17 + 0.05 * random.nextDouble());
        float[] image = background(width, height, scale, random);
        paintPart(image, width, height, outer, bore, scale, random);
        Noise.binomialBlur(image, width, height);
        byte[] pixels = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(image[i])));
        }
        return new PartCanvas(width, height, pixels, outer, bore);
    }

    /** Dark fixture: a level, soft blotches from a coarse random grid, fine grain. */
    private static float[] background(int width, int height, double scale, SplittableRandom random) {
        double level = 36 + 10 * random.nextDouble();
        double cell = 40 * scale;
        int gridW = (int) Math.ceil(width / cell) + 2;
        int gridH = (int) Math.ceil(height / cell) + 2;
        float[] grid = Noise.gaussian(gridW * gridH, 5, random);
        float[] image = new float[width * height];
        for (int y = 0; y < height; y++) {
            double gy = y / cell;
            int y0 = (int) gy;
            double fy = smooth(gy - y0);
            for (int x = 0; x < width; x++) {
                double gx = x / cell;
                int x0 = (int) gx;
                double fx = smooth(gx - x0);
                double top = grid[y0 * gridW + x0] * (1 - fx) + grid[y0 * gridW + x0 + 1] * fx;
                double bottom = grid[(y0 + 1) * gridW + x0] * (1 - fx) + grid[(y0 + 1) * gridW + x0 + 1] * fx;
                image[y * width + x] = (float) (level + top * (1 - fy) + bottom * fy + 1.8 * Noise.gauss(random));
            }
        }
        return image;
    }

    private static void paintPart(float[] image, int width, int height, double outer, double bore, double scale,
            SplittableRandom random) {
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        // Tangentially brushed noise on a polar grid: long correlation along the angle, short along the radius.
        int angles = Integer.highestOneBit((int) Math.ceil(2 * Math.PI * outer)) * 2;
        int radii = (int) outer + 3;
        float[] brushed = Noise.gaussian(radii * angles, 1, random);
        int window = Math.max(3, (int) Math.round(28 * scale * angles / (2 * Math.PI * outer)) | 1);
        Noise.boxBlurRowsCircular(brushed, radii, angles, window);
        Noise.boxBlurRowsCircular(brushed, radii, angles, window);
        Noise.standardize(brushed);
        // Turning marks: a fine and a medium radial profile, four samples per pixel.
        float[] fine = radialProfile(radii * 4, 3, random);
        float[] medium = radialProfile(radii * 4, (int) Math.round(24 * scale), random);
        double sheen = 5 + 6 * random.nextDouble();
        double sheenAngle = random.nextDouble() * Math.PI;
        double lightAngle = random.nextDouble() * 2 * Math.PI;
        double albedo = ALBEDO + 8 * (random.nextDouble() - 0.5);
        double outerChamfer = 5 * scale;
        double boreChamfer = 3 * scale;
        double angleScale = angles / (2 * Math.PI);
        for (int y = 0; y < height; y++) {
            double dy = y - cy;
            for (int x = 0; x < width; x++) {
                double dx = x - cx;
                double d2 = dx * dx + dy * dy;
                if (d2 > (outer + 1) * (outer + 1)) {
                    continue;
                }
                double d = Math.sqrt(d2);
                int i = y * width + x;
                double hole = clamp01(bore + 0.5 - d);
                double back = image[i] * (1 - 0.45 * hole); // the fixture is further away behind the bore
                double alpha = clamp01(outer - d + 0.5) * clamp01(d - bore + 0.5);
                if (alpha <= 0) {
                    image[i] = (float) back;
                    continue;
                }
                double theta = Math.atan2(dy, dx);
                int radial = Math.min((int) (d * 4), fine.length - 1);
                int angular = (int) ((theta + Math.PI) * angleScale) & (angles - 1);
                double face = albedo + sheen * Math.cos(2 * (theta - sheenAngle))
                        + 3.2 * brushed[Math.min((int) d, radii - 1) * angles + angular]
                        + 2.0 * fine[radial] + 2.4 * medium[radial];
                double fromOuter = outer - d;
                if (fromOuter < outerChamfer) {
                    face += 42 * Math.cos(theta - lightAngle) * (1 - fromOuter / outerChamfer) - 10;
                }
                double fromBore = d - bore;
                if (fromBore < boreChamfer) {
                    face -= 30 * Math.cos(theta - lightAngle) * (1 - fromBore / boreChamfer);
                }
                image[i] = (float) (back * (1 - alpha) + face * alpha);
            }
        }
    }

    /** A 1-D profile of unit deviation, smoothed over about {@code window} samples. */
    private static float[] radialProfile(int length, int window, SplittableRandom random) {
        float[] profile = Noise.gaussian(length, 1, random);
        Noise.boxBlurRowsCircular(profile, 1, length, Math.max(1, window) | 1);
        Noise.boxBlurRowsCircular(profile, 1, length, Math.max(1, window) | 1);
        Noise.standardize(profile);
        return profile;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
