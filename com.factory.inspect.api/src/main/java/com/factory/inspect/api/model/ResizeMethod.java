package com.factory.inspect.api.model;

/** How a frame is scaled to the model's input size. */
public enum ResizeMethod {
    /** Nearest neighbour: fastest, keeps hard edges. */
    NEAREST,
    /** Bilinear interpolation of the four nearest source pixels (pixel centres aligned). */
    BILINEAR
}
