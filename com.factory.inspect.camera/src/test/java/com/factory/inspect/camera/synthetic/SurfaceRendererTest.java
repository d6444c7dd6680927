package com.factory.inspect.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SurfaceRendererTest {
    private static final Set<DefectType> ALL = EnumSet.allOf(DefectType.class);

    @Test
    void sameSeedGivesSameFrames() {
        SurfaceRenderer a = new SurfaceRenderer(320, 240, 42, ALL);
        SurfaceRenderer b = new SurfaceRenderer(320, 240, 42, ALL);
        SurfaceRenderer other = new SurfaceRenderer(320, 240, 43, ALL);
        byte[] pa = new byte[320 * 240];
        byte[] pb = new byte[320 * 240];
        byte[] po = new byte[320 * 240];
        for (int i = 0; i < 8; i++) {
            RenderedSurface ra = a.render(i, 0.5, pa);
            RenderedSurface rb = b.render(i, 0.5, pb);
            other.render(i, 0.5, po);
            assertArrayEquals(pa, pb, "frame " + i);
            assertEquals(ra, rb);
            assertFalse(java.util.Arrays.equals(pa, po), "another seed renders other images");
        }
    }

    @Test
    void framesHaveTheirSizeAndAPartOnADarkerBackground() {
        SurfaceRenderer renderer = new SurfaceRenderer(640, 480, 7, ALL);
        byte[] pixels = new byte[640 * 480];
        RenderedSurface surface = renderer.render(3, 0, pixels);
        assertFalse(surface.defective());
        assertEquals("", surface.annotation());
        PartGeometry part = surface.part();
        assertTrue(Math.abs(part.centreX() - 319.5) < 0.05 * 640, "jitter is a few percent: " + part);
        assertTrue(Math.abs(part.centreY() - 239.5) < 0.05 * 480, "jitter is a few percent: " + part);
        double face = mean(pixels, 640, p -> part.onFace(p[0], p[1], 10));
        double background = mean(pixels, 640, p -> !part.onFace(p[0], p[1], -10) && dist(part, p) > part.outerRadius());
        assertTrue(face > background + 50, "face " + face + " is much brighter than background " + background);
        assertThrows(IllegalArgumentException.class, () -> renderer.render(0, 0.1, new byte[100]));
        assertThrows(IllegalArgumentException.class, () -> renderer.render(0, 1.5, pixels));
    }

    @Test
    void defectRateIsRoughlyHonoured() {
        SurfaceRenderer renderer = new SurfaceRenderer(160, 120, 11, ALL);
        byte[] pixels = new byte[160 * 120];
        int defective = 0;
        for (int i = 0; i < 1000; i++) {
            defective += renderer.render(i, 0.3, pixels).defective() ? 1 : 0;
        }
        assertTrue(defective > 240 && defective < 360, defective + " of 1000 at rate 0.3");
        assertFalse(renderer.render(5, 0, pixels).defective());
        assertTrue(renderer.render(5, 1, pixels).defective());
    }

    @Test
    void defectsChangePixelsOnlyOnThePart() {
        SurfaceRenderer renderer = new SurfaceRenderer(640, 480, 5, ALL);
        byte[] good = new byte[640 * 480];
        byte[] bad = new byte[640 * 480];
        int framesWithChanges = 0;
        for (int i = 0; i < 60; i++) {
            RenderedSurface g = renderer.render(i, 0, good);
            RenderedSurface b = renderer.render(i, 1, bad);
            assertEquals(g.part(), b.part(), "the defect decision does not move the part");
            assertFalse(b.annotation().isEmpty());
            int changed = 0;
            for (int p = 0; p < good.length; p++) {
                if (good[p] != bad[p]) {
                    changed++;
                    int x = p % 640;
                    int y = p / 640;
                    assertTrue(b.part().onFace(x, y, 0), "frame " + i + " (" + b.annotation() + ") changed pixel " + x
                            + "," + y + " off the part " + b.part());
                }
            }
            framesWithChanges += changed > 0 ? 1 : 0;
        }
        assertTrue(framesWithChanges >= 57, framesWithChanges + " of 60 defective frames differ from the good ones");
    }

    @Test
    void drawsOnlyTheConfiguredDefectTypes() {
        for (DefectType type : DefectType.values()) {
            SurfaceRenderer renderer = new SurfaceRenderer(320, 240, 3, EnumSet.of(type));
            byte[] pixels = new byte[320 * 240];
            for (int i = 0; i < 10; i++) {
                String annotation = renderer.render(i, 1, pixels).annotation();
                for (String one : annotation.split("; ")) {
                    assertTrue(one.startsWith(type.label() + " "), annotation);
                }
            }
        }
    }

    @Test
    void parsesDefectTypes() {
        assertEquals(EnumSet.of(DefectType.PIT, DefectType.STAIN), DefectType.parse("pit, Stain", ""));
        assertEquals(ALL, DefectType.parse("scratch", "pit,crack", "stain"));
        assertThrows(IllegalArgumentException.class, () -> DefectType.parse("dent"));
        assertThrows(IllegalArgumentException.class, () -> DefectType.parse(" , "));
    }

    /** A sanity print of the render time, not a timed assertion. */
    @Test
    void printsRenderTime() {
        SurfaceRenderer renderer = new SurfaceRenderer(640, 480, 1, ALL);
        byte[] pixels = new byte[640 * 480];
        for (int i = 0; i < 300; i++) {
            renderer.render(i, 0.1, pixels);
        }
        int frames = 500;
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            renderer.render(1000 + i, 0.1, pixels);
        }
        double good = (System.nanoTime() - start) / 1e6 / frames;
        start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            renderer.render(2000 + i, 1, pixels);
        }
        double defective = (System.nanoTime() - start) / 1e6 / frames;
        System.out.printf(Locale.ROOT, "render 640x480: %.3f ms per frame at defect rate 0.1, %.3f ms when every"
                + " frame is defective%n", good, defective);
    }

    private static double dist(PartGeometry part, int[] p) {
        return Math.hypot(p[0] - part.centreX(), p[1] - part.centreY());
    }

    private static double mean(byte[] pixels, int width, java.util.function.Predicate<int[]> where) {
        long sum = 0;
        int n = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (where.test(new int[] {i % width, i / width})) {
                sum += pixels[i] & 0xFF;
                n++;
            }
        }
        return (double) sum / n;
    }
}
