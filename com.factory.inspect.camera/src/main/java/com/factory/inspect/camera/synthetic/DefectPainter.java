package com.factory.inspect.camera.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Draws procedural defects onto a rendered frame, only on the part's face. Severities are drawn from
 * ranges that include hard cases: faint one-pixel scratches, two-pixel pits, pale stains. Sizes are
 * given for a 480-pixel-high frame and scale with the frame.
 */
final class DefectPainter {
    /** Defects keep this far (at 480 px) from both edges of the face, off the chamfers. */
    private static final double FACE_MARGIN = 6;

    private final byte[] pixels;
    private final int width;
    private final int height;
    private final PartGeometry part;
    private final SurfaceRenderer.Lighting light;
    private final double scale;

    DefectPainter(byte[] pixels, int width, int height, PartGeometry part, SurfaceRenderer.Lighting light) {
        this.pixels = pixels;
        this.width = width;
        this.height = height;
        this.part = part;
        this.light = light;
        this.scale = Math.min(width, height) / 480.0;
    }

    /** Draws one defect of {@code type}; returns its annotation. */
    String paint(DefectType type, SplittableRandom random) {
        return switch (type) {
            case SCRATCH -> scratch(random);
            case PIT -> pit(random);
            case CRACK -> crack(random);
            case STAIN -> stain(random);
        };
    }

    private String scratch(SplittableRandom random) {
        double length = (40 + 180 * random.nextDouble()) * scale;
        int lineWidth = random.nextDouble() < 0.45 ? 1 : 2;
        double magnitude = 9 + 31 * Math.pow(random.nextDouble(), 1.3);
        int contrast = (int) Math.round(random.nextBoolean() ? magnitude : -magnitude);
        double[] curve = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            double[] start = pointOnFace(random, 10 * scale);
            double heading = random.nextDouble() * 2 * Math.PI;
            double bend = (2 * random.nextDouble() - 1) * 0.12 * length;
            double endX = start[0] + length * Math.cos(heading);
            double endY = start[1] + length * Math.sin(heading);
            double controlX = (start[0] + endX) / 2 - bend * Math.sin(heading);
            double controlY = (start[1] + endY) / 2 + bend * Math.cos(heading);
            curve = new double[] {start[0], start[1], controlX, controlY, endX, endY};
            if (fractionOnFace(curve) >= 0.75) {
                break;
            }
            length = Math.max(20 * scale, length * 0.93);
        }
        Stamp stamp = stampAround(curve, 3);
        int steps = (int) Math.ceil(length / 0.3);
        double waves = 1 + 3 * random.nextDouble();
        double phase = random.nextDouble() * 2 * Math.PI;
        for (int i = 0; i <= steps; i++) {
            double t = (double) i / steps;
            double u = 1 - t;
            double x = u * u * curve[0] + 2 * u * t * curve[2] + t * t * curve[4];
            double y = u * u * curve[1] + 2 * u * t * curve[3] + t * t * curve[5];
            double depth = 0.7 + 0.3 * Math.sin(2 * Math.PI * waves * t + phase);
            stamp.splat(x, y, lineWidth / 2.0, depth * endFade(t, 0.08));
        }
        apply(stamp, contrast);
        return String.format(Locale.ROOT, "scratch len=%d width=%d contrast=%d", Math.round(length), lineWidth,
                contrast);
    }

    private String pit(SplittableRandom random) {
        double diameter = (2 + 4 * random.nextDouble()) * scale;
        int contrast = -(int) Math.round(25 + 65 * random.nextDouble());
        double[] centre = pointOnFace(random, diameter + 16 * scale);
        Stamp stamp = stampAround(new double[] {centre[0], centre[1]}, diameter + 16 * scale);
        stamp.splat(centre[0], centre[1], diameter / 2, 1);
        int satellites = random.nextDouble() < 0.3 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < satellites; i++) {
            double angle = random.nextDouble() * 2 * Math.PI;
            double distance = (4 + 8 * random.nextDouble()) * scale;
            stamp.splat(centre[0] + distance * Math.cos(angle), centre[1] + distance * Math.sin(angle),
                    diameter * (0.25 + 0.15 * random.nextDouble()), 0.8);
        }
        apply(stamp, contrast);
        String cluster = satellites > 0 ? " cluster=" + (satellites + 1) : "";
        return String.format(Locale.ROOT, "pit d=%d contrast=%d%s", Math.round(diameter), contrast, cluster);
    }

    private String crack(SplittableRandom random) {
        double length = (30 + 110 * random.nextDouble()) * scale;
        int maxWidth = random.nextDouble() < 0.6 ? 1 : 2;
        int contrast = -(int) Math.round(18 + 50 * random.nextDouble());
        double[] start = pointOnFace(random, 12 * scale);
        double heading = random.nextDouble() * 2 * Math.PI;
        List<double[]> main = walk(random, start[0], start[1], heading, length);
        List<List<double[]>> paths = new ArrayList<>(List.of(main));
        if (random.nextDouble() < 0.35 && main.size() > 4) {
            double[] fork = main.get(main.size() / 4 + random.nextInt(main.size() / 2));
            double side = random.nextBoolean() ? 1 : -1;
            paths.add(walk(random, fork[0], fork[1], heading + side * (0.5 + 0.5 * random.nextDouble()),
                    length * (0.3 + 0.2 * random.nextDouble())));
        }
        double[] bounds = new double[2 * paths.stream().mapToInt(List::size).sum()];
        int k = 0;
        for (List<double[]> path : paths) {
            for (double[] p : path) {
                bounds[k++] = p[0];
                bounds[k++] = p[1];
            }
        }
        Stamp stamp = stampAround(bounds, 3);
        for (int n = 0; n < paths.size(); n++) {
            List<double[]> path = paths.get(n);
            double widthHere = n == 0 ? maxWidth : 1;
            for (int i = 1; i < path.size(); i++) {
                double[] a = path.get(i - 1);
                double[] b = path.get(i);
                double intensity = 0.65 + 0.35 * random.nextDouble();
                double segment = Math.hypot(b[0] - a[0], b[1] - a[1]);
                int steps = Math.max(1, (int) Math.ceil(segment / 0.3));
                for (int s = 0; s <= steps; s++) {
                    double f = (double) s / steps;
                    double t = (i - 1 + f) / (path.size() - 1);
                    double radius = 0.5 + (widthHere - 1) * 0.5 * Math.sin(Math.PI * t);
                    stamp.splat(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), radius,
                            intensity * endFade(t, 0.1));
                }
            }
        }
        apply(stamp, contrast);
        return String.format(Locale.ROOT, "crack len=%d width=%d contrast=%d%s", Math.round(length), maxWidth,
                contrast, paths.size() > 1 ? " branched" : "");
    }

    /** A jagged random walk that keeps its general heading. */
    private List<double[]> walk(SplittableRandom random, double x, double y, double heading, double length) {
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {x, y});
        double direction = heading;
        double travelled = 0;
        while (travelled < length) {
            double step = (3 + 4 * random.nextDouble()) * scale;
            direction += 0.45 * Noise.gauss(random) + 0.3 * (heading - direction);
            x += step * Math.cos(direction);
            y += step * Math.sin(direction);
            travelled += step;
            points.add(new double[] {x, y});
        }
        return points;
    }

    private String stain(SplittableRandom random) {
        double fit = (part.outerRadius() - part.boreRadius()) / 2 - (FACE_MARGIN + 4) * scale;
        double radius = Math.min((12 + 33 * random.nextDouble()) * scale, fit / 1.45);
        double magnitude = 7 + 19 * Math.pow(random.nextDouble(), 1.2);
        int contrast = (int) Math.round(random.nextDouble() < 0.7 ? -magnitude : magnitude);
        double[] centre = pointOnFace(random, 1.45 * radius + 4 * scale);
        int lobes = 1 + random.nextInt(3);
        double[][] shapes = new double[lobes][];
        for (int i = 0; i < lobes; i++) {
            double offsetAngle = random.nextDouble() * 2 * Math.PI;
            double offset = i == 0 ? 0 : 0.45 * radius * random.nextDouble();
            double a = radius * (0.55 + 0.45 * random.nextDouble());
            double b = a * (0.6 + 0.4 * random.nextDouble());
            double angle = random.nextDouble() * Math.PI;
            shapes[i] = new double[] {centre[0] + offset * Math.cos(offsetAngle),
                    centre[1] + offset * Math.sin(offsetAngle), a, b, Math.cos(angle), Math.sin(angle)};
        }
        Stamp stamp = stampAround(new double[] {centre[0], centre[1]}, 1.5 * radius + 2);
        stamp.blobs(shapes);
        apply(stamp, contrast);
        return String.format(Locale.ROOT, "stain r=%d contrast=%d", Math.round(radius), contrast);
    }

    /** A random point on the face at least {@code clearance} from both edges (area-uniform). */
    private double[] pointOnFace(SplittableRandom random, double clearance) {
        double inner = part.boreRadius() + FACE_MARGIN * scale + clearance;
        double outer = part.outerRadius() - FACE_MARGIN * scale - clearance;
        if (outer < inner) {
            inner = outer = (part.boreRadius() + part.outerRadius()) / 2;
        }
        double radius = Math.sqrt(inner * inner + random.nextDouble() * (outer * outer - inner * inner));
        double angle = random.nextDouble() * 2 * Math.PI;
        return new double[] {part.centreX() + radius * Math.cos(angle), part.centreY() + radius * Math.sin(angle)};
    }

    private double fractionOnFace(double[] curve) {
        int on = 0;
        for (int i = 0; i <= 32; i++) {
            double t = i / 32.0;
            double u = 1 - t;
            double x = u * u * curve[0] + 2 * u * t * curve[2] + t * t * curve[4];
            double y = u * u * curve[1] + 2 * u * t * curve[3] + t * t * curve[5];
            if (part.onFace(x, y, FACE_MARGIN * scale)) {
                on++;
            }
        }
        return on / 33.0;
    }

    /** Adds {@code contrast × coverage}, lit like the part, to face pixels only. */
    private void apply(Stamp stamp, double contrast) {
        double margin = FACE_MARGIN * scale;
        for (int y = stamp.y0; y < stamp.y0 + stamp.h; y++) {
            for (int x = stamp.x0; x < stamp.x0 + stamp.w; x++) {
                float coverage = stamp.coverage[(y - stamp.y0) * stamp.w + x - stamp.x0];
                if (coverage <= 0 || !part.onFace(x, y, margin)) {
                    continue;
                }
                int i = y * width + x;
                long v = (pixels[i] & 0xFF) + Math.round(contrast * light.gainAt(x, y) * coverage);
                pixels[i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
    }

    /** A stamp over the bounding box of the points {@code x0,y0,x1,y1,...} grown by {@code pad}. */
    private Stamp stampAround(double[] points, double pad) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < points.length; i += 2) {
            minX = Math.min(minX, points[i]);
            maxX = Math.max(maxX, points[i]);
            minY = Math.min(minY, points[i + 1]);
            maxY = Math.max(maxY, points[i + 1]);
        }
        return new Stamp(Math.max(0, (int) Math.floor(minX - pad)), Math.max(0, (int) Math.floor(minY - pad)),
                Math.min(width - 1, (int) Math.ceil(maxX + pad)), Math.min(height - 1, (int) Math.ceil(maxY + pad)));
    }

    private static double endFade(double t, double fade) {
        double e = Math.min(t, 1 - t) / fade;
        return e >= 1 ? 1 : e * e * (3 - 2 * e);
    }

    /** Coverage (0..1) of a defect over its bounding box, clipped to the frame; overlaps take the maximum. */
    private static final class Stamp {
        final int x0;
        final int y0;
        final int w;
        final int h;
        final float[] coverage;

        private Stamp(int x0, int y0, int x1, int y1) {
            this.x0 = x0;
            this.y0 = y0;
            this.w = Math.max(0, x1 - x0 + 1);
            this.h = Math.max(0, y1 - y0 + 1);
            this.coverage = new float[w * h];
        }

        void splat(double px, double py, double radius, double weight) {
            int xa = Math.max(x0, (int) Math.floor(px - radius - 1));
            int xb = Math.min(x0 + w - 1, (int) Math.ceil(px + radius + 1));
            int ya = Math.max(y0, (int) Math.floor(py - radius - 1));
            int yb = Math.min(y0 + h - 1, (int) Math.ceil(py + radius + 1));
            for (int y = ya; y <= yb; y++) {
                for (int x = xa; x <= xb; x++) {
                    double c = Math.min(1, radius + 0.5 - Math.hypot(x - px, y - py)) * weight;
                    int i = (y - y0) * w + x - x0;
                    if (c > coverage[i]) {
                        coverage[i] = (float) c;
                    }
                }
            }
        }

        /** Soft elliptical lobes {@code {cx, cy, a, b, cos, sin}} with a (1 - d²)² profile. */
        void blobs(double[][] shapes) {
            for (int y = y0; y < y0 + h; y++) {
                for (int x = x0; x < x0 + w; x++) {
                    double best = 0;
                    for (double[] s : shapes) {
                        double dx = x - s[0];
                        double dy = y - s[1];
                        double u = (dx * s[4] + dy * s[5]) / s[2];
                        double v = (-dx * s[5] + dy * s[4]) / s[3];
                        double d2 = u * u + v * v;
                        if (d2 < 1) {
                            best = Math.max(best, (1 - d2) * (1 - d2));
                        }
                    }
                    coverage[(y - y0) * w + x - x0] = (float) best;
                }
            }
        }
    }
}
