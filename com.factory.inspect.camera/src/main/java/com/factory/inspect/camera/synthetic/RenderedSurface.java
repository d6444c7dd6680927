package com.factory.inspect.camera.synthetic;

/**
 * What {@link SurfaceRenderer#render} drew besides the pixels.
 *
 * @param defective whether a defect was drawn
 * @param annotation the defects drawn, e.g. {@code scratch len=140 width=1 contrast=-9}; empty for a good part
 * @param part where the part lies in the frame
 */
public record RenderedSurface(boolean defective, String annotation, PartGeometry part) {
}
