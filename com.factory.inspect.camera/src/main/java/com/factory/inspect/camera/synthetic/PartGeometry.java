package com.factory.inspect.camera.synthetic;

/**
 * Where the part lies in a rendered frame: a disc with a centre bore.
 *
 * @param centreX centre column (pixel centres at integer coordinates)
 * @param centreY centre row
 * @param outerRadius radius of the part's outer edge in pixels
 * @param boreRadius radius of the centre bore in pixels
 */
public record PartGeometry(double centreX, double centreY, double outerRadius, double boreRadius) {

    /** Whether pixel {@code (x, y)} lies on the part's face, at least {@code margin} pixels from both edges. */
    public boolean onFace(double x, double y, double margin) {
        double dx = x - centreX;
        double dy = y - centreY;
        double d2 = dx * dx + dy * dy;
        double inner = boreRadius + margin;
        double outer = outerRadius - margin;
        return d2 >= inner * inner && d2 <= outer * outer;
    }
}
